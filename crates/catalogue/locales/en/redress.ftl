# Redress: what customers read, in English.
# Arguments are written { $like-this }. Keep the tone human: we speak to a person who has been
# let down, not to a ticket.

language-name = English

## Dates

date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

default-care-team = the customer care team

## Every page

skip-to-content = Skip to the main content
nav-reach-us = How to reach us
nav-complain = Tell us what happened
language-choice = Language
footer-privacy = What you tell us is used only to put things right for you and to stop them happening again.
optional = optional

## How to reach us (/)

reach-title = How to reach us
reach-lead = Something went wrong, or not as it should have? Tell us. A person reads every message, and one person looks after your case until it is put right.
reach-form-heading = Write to us here
reach-form-text = A short form, no account needed. It takes a couple of minutes.
reach-form-button = Tell us what happened
reach-email-heading = By email
reach-email-text = Write to us at
reach-email-note = Your email reaches the same people as the form.
reach-phone-heading = By phone
reach-phone-text = Call us on
reach-hours-heading = When we answer the phone
reach-post-heading = By post
reach-next-heading = What happens next
reach-next-text = { $team } reads what you send and answers you personally within { $days ->
    [one] one day
   *[other] { $days } days
}. You get a reference and a private link to follow your case, and you never have to explain it twice.
reach-other-heading = Not a complaint?
reach-other-text = The same form takes questions, compliments for someone who helped you, and ideas to do better.
reach-track-heading = Already told us?
reach-track-text = Open the private link we gave you when you wrote to us. It shows where your case stands and lets you answer us.

## Tell us what happened (/complain)

complain-title = Tell us what happened
complain-lead = Only two things are needed: what happened, and one way to reach you. Everything else is up to you.
kind-legend = What would you like to do?
kind-complaint = Something went wrong
kind-inquiry = I have a question
kind-compliment = I want to compliment someone
kind-suggestion = I have an idea to make things better
field-what-happened = What happened?
field-what-happened-hint = In your own words. Dates, names and numbers help us, but write it however it comes.
field-what-happened-question = What would you like to know?
field-make-it-right = What would make it right for you?
field-make-it-right-hint = For example a replacement, a refund, an apology, or simply that it does not happen again.
field-needed-by = When do you need this resolved by?
field-needed-by-hint = If a date matters to you, tell us: we plan around it.
field-product = What is it about?
field-product-choose = Choose, or leave empty
field-location = Where did it happen?
field-location-choose = Choose, or leave empty
field-attachments = Photos or documents
field-attachments-hint = Up to { $count } photos (JPEG, PNG, GIF, WebP) or PDFs, { $size } each at most.
contact-legend = How can we reach you?
contact-hint = An email address or a phone number: one is enough.
field-name = Your name
field-email = Email address
field-phone = Phone number
field-preferred = How would you like us to answer?
channel-email = By email
channel-phone = By phone
channel-sms = By text message
channel-post = By post
channel-no-preference = No preference
honeypot-label = Leave this field empty
complain-submit = Send
sending = Sending…
complain-privacy = We use your contact details only to answer you about this.

## Problems with the form

form-has-problems = { $count ->
    [one] Please check one thing below.
   *[other] Please check { $count } things below.
} Everything you typed is still here.
problem-what-happened-missing = Tell us what happened, in a few words or many.
problem-what-happened-long = That is longer than we can take in one go (20,000 characters). Please shorten it, or send the rest in a reply once you have your link.
problem-contact-missing = Give us an email address or a phone number, so we can answer you.
problem-email = This does not look like an email address. It should look like name@example.com.
problem-phone = This does not look like a phone number. Use digits, spaces and an optional + at the start.
problem-needed-by-past = Choose today or a later date.
problem-needed-by = Write the date as year-month-day, for example 2026-12-03.
problem-too-long = This is longer than we can take here. Please shorten it.
problem-attachments-type = “{ $name }” is not a photo or a PDF, so we cannot take it. The file itself is checked, not its name.
problem-attachments-size = “{ $name }” is larger than { $size }. A smaller photo or a scan at lower quality will do.
problem-attachments-empty = “{ $name }” is empty.
problem-attachments-count = Attach at most { $count } files.
problem-attachments-broke = The files could not all be received: together they may be too large, or the connection broke. Please choose fewer or smaller files and send again.
problem-attachments-again = For your safety, files are not kept when the form comes back. Please choose them again.
problem-choose = Please choose one of the options.
problem-general = Please check this.
problem-message-missing = Write your message here before sending.
problem-make-it-right-missing = Tell us what would make it right, so we can work on it.
problem-answer-yes-no = Please answer yes or no.
problem-score = Please choose a number from 1 to 5.
problem-honeypot = A field that should stay empty was filled in. This can happen when a browser fills in forms by itself. We have emptied it: please check your words and send again.
problem-form-expired = This form had expired, so nothing was sent yet. Everything you typed is still here: please send again.
problem-no-cookie = Your browser did not send back the small safety cookie this form needs, so nothing was sent. Please allow cookies for this site and send again, or write to us by email or phone instead.
problem-too-fast = You have sent several forms in a short time, so we paused to make sure you are not an automated program. Please wait { $minutes ->
    [one] a minute
   *[other] { $minutes } minutes
} and send again. Everything you typed is still here.
problem-wrong-state = This could not be done any more: your case has moved on since the page was shown. Here is where it stands now.
problem-unavailable-title = Sorry, something went wrong on our side
problem-unavailable = We could not do this just now. Please try again in a minute. If you were sending us something, your case page will show whether it arrived; if it did not, nothing was taken.
problem-storage = We could not save this just now, so nothing was lost but nothing was sent either. Please try again in a minute.

## Received

received-title-complaint = We have your complaint, and we are sorry this happened
received-title-inquiry = We have your question
received-title-compliment = We have your kind words
received-title-suggestion = We have your idea
received-already = You had already sent this, so we kept it once.
quoted = “{ $text }”
received-reference = Your reference
received-link-heading = Your private link
received-link-text = This link is the only key to your case: with it you can see where things stand, answer us and tell us how it went. Keep it, and do not share it.
received-what-you-said = You told us
received-what-you-asked = You asked us
received-what-you-wrote = You wrote
received-make-it-right = What would make it right for you
received-needed-by = You need this resolved by { $date }. We have noted that date and we work to it.
received-who-team = { $team } will look into it and answer you personally by { $date }.
received-who-person = { $who } looks after your case and will answer you personally by { $date }.
received-who-no-date = { $team } will look into it and answer you personally.
received-compliment-next = We will pass your words on to the people they are about.
received-attachments = Files you sent
received-follow = Follow your case

## Your case (/track/…)

track-title = Your case { $reference }
track-status-heading = Where it stands
track-looked-after-by = Looked after by { $who }
track-reply-by = You will hear from us by { $date }.
track-needed-by = You asked for it to be resolved by { $date }.
track-your-words = What you told us
track-your-make-it-right = What would make it right for you
track-history = What has happened so far
track-attachments = Your files
track-commitments = What we have promised
track-commitment = { $what }, by { $date }: { $how }
track-commitment-kept = Done
track-commitment-missed = We did not keep this one
track-remedies = What we are doing to put it right
remedy-restitution = To replace what you lost
remedy-goodwill = As a gesture of goodwill
track-reply-heading = Write to us
track-reply-label = Your message
track-reply-hint = Anything to add, a question, or something that has changed. It goes straight onto your case.
track-reply-send = Send message
track-resolution-heading = What we propose
track-resolution-question = Does this put it right for you?
track-accept = Yes, this puts it right
track-reject-label = If not, what would make it right instead?
track-reject = No, send what would make it right
track-follow-up-heading = How did it go?
track-follow-up-lead = Your case is resolved. Three questions, so we know whether we really put it right. A “no” to any of them reopens your case.
follow-up-went-as-expected = Did everything go as expected?
follow-up-delivered = Have we delivered what we promised?
follow-up-met-expectations = Have we met your expectations?
answer-yes = Yes
answer-no = No
follow-up-score = Overall, how did we do?
score-1 = 1, very poorly
score-2 = 2, poorly
score-3 = 3, acceptably
score-4 = 4, well
score-5 = 5, very well
follow-up-comments = Anything you would like to add?
follow-up-send = Send my answers
track-done-reply = Your message is on your case. We will answer you personally.
track-done-accept = Thank you. Your case is resolved; we will ask you shortly how it went.
track-done-reject = Thank you for telling us. Your case is open again and we are working on what you asked for.
track-done-follow-up = Thank you. We read every answer.
track-done-reopened = Thank you for telling us. We have reopened your case and will put it right.
track-not-found-title = We could not find a case at this link
track-not-found-text = Please check that you opened the whole link from our message; links sometimes break across two lines. If it still does not work, write to us or call us and we will find your case.

## Status, in the customer's words

status-new = We have received it
status-acknowledged = We are on it
status-investigating = We are looking into it
status-awaiting_customer = We are waiting for your answer
status-awaiting_operations = We are checking with our colleagues
status-resolution_proposed = We have proposed a way to put it right
status-resolved = Resolved
status-closed = Closed
status-reopened = Reopened: we are working on it again
status-declined = Declined
status-withdrawn = Withdrawn

## The history of a case, in the customer's words

event-by-you = You
event-received = You told us what happened.
event-acknowledged = We confirmed we have your case.
event-status-changed = { $status }
event-message-from-customer = You wrote to us.
event-message-to-customer = We wrote to you.
event-commitment-made = We promised: { $what }, by { $date }.
event-commitment-kept = We kept a promise.
event-commitment-missed = We did not keep a promise on time.
event-remedy = We are putting it right: { $what }.
event-resolution-proposed = We proposed a way to put it right.
event-resolution-accepted = You accepted what we proposed.
event-resolution-rejected = You told us what would make it right instead.
event-follow-up-answered = You told us how it went.
event-other = Your case was updated.
