# Redress: what administrators read when they set the organisation up, in English.

## Every administration page

admin-title = Administration
admin-lead = Who works at the desk, the teams they belong to, the root causes cases are closed with, and what customers read about you.
admin-nav = Parts of the administration
admin-nav-overview = Overview
admin-nav-staff = Staff
admin-nav-teams = Teams
admin-nav-root-causes = Root causes
admin-nav-organisation = Your organisation
admin-nav-mail = Mail to customers
admin-forbidden-title = Only administrators can open this page
admin-forbidden-text = Your account cannot change how the desk is set up, and nothing was changed. If something here needs changing, ask an administrator.
admin-not-found-title = There is nothing at this address
admin-not-found-text = Pick what you need from the administration's overview.
admin-status-active = Active
admin-status-inactive = Inactive
admin-col-status = Status
admin-problem-too-long = This is longer than we can take here. Please shorten it.

## The overview

admin-overview-staff = { $count ->
    [one] One active staff member
   *[other] { $count } active staff members
}
admin-overview-staff-text = Add people, change their role, team and authority limit, give them a new password link, or deactivate them.
admin-overview-teams = { $count ->
    [one] One active team
   *[other] { $count } active teams
}
admin-overview-teams-text = The teams staff belong to; a case follows its owner into their team.
admin-overview-root-causes = { $count ->
    [one] One root cause on offer
   *[other] { $count } root causes on offer
}
admin-overview-root-causes-text = What staff choose from when they close a case, so complaints become lessons.
admin-overview-organisation-text = Your name, who answers first and how soon, every way to reach you with the opening hours, and the lists customers pick from.
admin-organisation-from-config = Customers read the texts of the configuration file: nobody has saved them here yet.
admin-organisation-saved = Customers read the texts saved here (version { $count }).

## Staff

admin-staff-title = Staff
admin-col-name = Name
admin-col-email = Email address
admin-col-role = Role
admin-col-team = Team
admin-col-limit = Authority limit
admin-role-agent = Agent
admin-role-supervisor = Supervisor
admin-role-admin = Administrator
admin-no-team = No team
admin-no-limit = None
admin-staff-none = Nobody is on the staff yet.
admin-staff-add = Add a staff member
admin-staff-add-lead = They get a link to set their own password: pass it on to them yourself. It works once, for three days.
admin-field-name = Name
admin-field-email = Email address
admin-field-role = Role
admin-field-role-hint = Agents work cases. Supervisors also approve remedies above an agent's limit. Administrators also manage everything here.
admin-field-team = Team
admin-field-amount = Authority limit
admin-field-amount-hint = The largest remedy they may grant without a supervisor's approval, such as 50 or 12.50. Leave it and the currency empty for none: then every remedy with an amount waits for approval.
admin-field-currency = Currency of the limit
admin-field-currency-hint = Three letters, such as EUR or GBP.
admin-staff-add-button = Add them to the staff
admin-staff-created = On the staff since
admin-staff-edit = Role, team and authority
admin-staff-save = Save the changes
admin-staff-you = This is you. Another administrator can change your role or deactivate you; you cannot.
admin-staff-not-found-title = There is no such staff member
admin-staff-not-found-text = Pick someone from the staff list.
admin-link-title = The password link for { $name }
admin-link-text = Send this link to { $name } yourself, for example by chat or by phone. It works once, until { $date }, and is not shown again: if it gets lost, make a new one.
admin-link-new = Password link
admin-link-new-text = Someone who forgot their password, or never set one, needs a new link. Any earlier link stops working; their current password works until they set a new one.
admin-link-button = Make a new password link
admin-token-title = The API token for { $name }
admin-token-text = For a program that uses the API on their behalf. It is not shown again, and their earlier token no longer works.
admin-token-new = API token
admin-token-new-text = A program working on this person's behalf needs a token. A new one stops the earlier one.
admin-token-button = Make a new API token
admin-deactivate = Deactivate
admin-deactivate-text = They are signed out at once, cannot sign in, and their API token and password link stop working. Their cases and their history stay as they are.
admin-deactivate-button = Deactivate { $name }
admin-reactivate = Reactivate
admin-reactivate-text = They can sign in again with their password (or a new password link). Their old API token stays revoked.
admin-reactivate-button = Reactivate { $name }
admin-done-added = { $name } is on the staff.
admin-done-changed = The changes to { $name } are saved.
admin-done-deactivated = { $name } is deactivated and signed out everywhere.
admin-done-reactivated = { $name } can sign in again.
admin-problem-name = Give their name as colleagues and customers should read it (at most 200 characters).
admin-problem-email = This does not look like an email address. It should look like name@example.com.
admin-problem-email-taken = Someone on the staff has this email address already.
admin-problem-role = Choose a role.
admin-problem-team = Choose a team from the list.
admin-problem-amount = Give an amount such as 50 or 12.50, with at most two decimals, and a currency.
admin-problem-currency = Give a three-letter currency such as EUR, with an amount.
admin-problem-own-role = You cannot give up your own administrator role: another administrator can.
admin-problem-own-deactivate = You cannot deactivate yourself: another administrator can.
admin-problem-last-admin = This would leave nobody to administer the desk: make someone else an administrator first. Nothing was changed.
admin-problem-inactive = This person is deactivated: reactivate them first. Nothing was changed.

## Teams

admin-teams-title = Teams
admin-teams-lead = Staff belong to a team, and a case follows its owner into their team. A team keeps its name; a team no longer needed is deactivated, and whoever is in it stays.
admin-col-description = Description
admin-col-members = Active members
admin-teams-none = There are no teams yet.
admin-team-deactivate-button = Deactivate { $name }
admin-team-reactivate-button = Reactivate { $name }
admin-team-add = Add a team
admin-field-team-name = Name of the team
admin-field-description = Description
admin-team-add-button = Add the team
admin-problem-team-name = Give the team a name (at most 200 characters).
admin-problem-team-taken = A team has this name already.
admin-done-team-added = The team { $name } is on the list.
admin-done-team-deactivated = The team { $name } is deactivated.
admin-done-team-reactivated = The team { $name } is active again.

## Root causes

admin-causes-title = Root causes
admin-causes-lead = When staff close a case they say why it happened, choosing from this list. A cause deactivated is no longer offered; the cases closed with it keep it.
admin-col-label = Label
admin-col-code = Code
admin-cause-relabel = New label for “{ $label }”
admin-cause-relabel-button = Save the label
admin-cause-deactivate-button = Deactivate “{ $label }”
admin-cause-reactivate-button = Reactivate “{ $label }”
admin-cause-add = Add a root cause
admin-field-label = Label
admin-field-code = Code
admin-field-code-hint = Lower-case letters, digits and _, such as signage_unclear. Left empty, it is made from the label. It cannot change later.
admin-cause-add-button = Add the root cause
admin-problem-label = Give a label (at most 200 characters).
admin-problem-code = Use lower-case letters, digits and _ only, such as signage_unclear.
admin-problem-code-taken = A root cause has this code already.
admin-done-cause-added = “{ $label }” is offered when closing a case.
admin-done-cause-changed = “{ $label }” is saved.
admin-done-cause-deactivated = “{ $label }” is no longer offered when closing a case.
admin-done-cause-reactivated = “{ $label }” is offered again when closing a case.

## The organisation

admin-org-title = Your organisation
admin-org-lead = What customers read on every page and in every first answer. Once saved here, these texts replace the configuration file's and reach every server within seconds.
admin-field-org-name = Your organisation's name, as customers know it
admin-field-care-team = Who answers new cases
admin-field-care-team-hint = Until a person owns the case, such as “the Riverside guest team”. Left empty, customers read “the customer care team”.
admin-field-days = Within how many days every customer hears from a person
admin-field-org-email = Email address customers can write to
admin-field-phone = Phone number customers can call
admin-field-hours = Opening hours
admin-field-hours-hint = One line each, such as “Monday to Friday, 8:00 to 18:00”.
admin-field-address = Postal address
admin-field-products = Products and services
admin-field-products-hint = One per line. Customers pick from them on the form; left empty, they write it in their own words.
admin-field-locations = Places
admin-field-locations-hint = Branches or sites, one per line. Customers pick from them; left empty, they write it in their own words.
admin-org-save = Save the texts
admin-done-org = Saved. Customers read the new texts now.
admin-problem-org-name = Give your organisation's name (at most 200 characters).
admin-problem-days = Give a whole number of days from 1 to 90.
admin-problem-phone = Give a phone number with its digits.
admin-problem-list = Keep each line under 200 characters, and at most 100 lines.
admin-problem-changed = Someone else saved these texts while you were editing. Your words are kept below, and nothing of yours was saved yet: check them and save again to replace theirs.

## Mail to customers

admin-mail-title = Mail to customers
admin-mail-lead = Every mail a customer receives about their case is worded from these texts, in the customer's language. Once saved here, a text reaches the mail every server writes within seconds; “Back to the shipped text” undoes it.
admin-mail-notation = Where a value of the case goes, write its variable with the braces, such as {"{"} $link {"}"}. Only the variables listed for each text can be used. A line cannot begin with [, * or . and a brace on its own is written {"{"}"{"{"}"{"}"}.
admin-mail-variables = Variables it can use
admin-mail-shipped = As shipped.
admin-mail-changed = Changed on { $date }.
admin-mail-save = Save “{ $name }” ({ $language })
admin-mail-reset = Back to the shipped text of “{ $name }” ({ $language })
admin-mail-preview = Preview with sample values
admin-done-mail-saved = Saved. Mail in { $language } is worded with the new text now.
admin-done-mail-reset = Mail in { $language } is worded with the shipped text again.
admin-problem-mail-empty = Write the text: a mail cannot be empty.
admin-problem-mail-too-long = This text is too long: keep it under 20,000 characters.
admin-problem-mail-line-start = A line cannot begin with [, * or . here: write {"{"}"*"{"}"} for a * at the start of a line.
admin-problem-mail-syntax = Every {"{"} needs its {"}"}, around a variable such as {"{"} $link {"}"}. For a brace as text, write {"{"}"{"{"}"{"}"}.
admin-problem-mail-variable = This text is not given { $name }: use only the variables listed for it.
admin-problem-mail-reference = There is no text called { $name }: put a $ before a variable's name.
admin-mail-acknowledgement-title = The acknowledgement
admin-mail-acknowledgement-about = Sent as soon as a case arrives: it restates the customer's words and names who answers them and by when.
admin-mail-reply-footer-title = Below each reply
admin-mail-reply-footer-about = Added below every reply written at the desk, after the reply's own words.
admin-mail-resolution-proposed-title = A proposed resolution
admin-mail-resolution-proposed-about = Sent when a resolution is proposed, with the link where the customer accepts it or says what would make it right.
admin-mail-follow-up-title = The follow-up questions
admin-mail-follow-up-about = Sent once the case is resolved: the questions that tell whether it was really put right.
admin-mail-subject-title = The subject
admin-mail-subject-about = The subject of every mail about a case. Keep the reference in brackets: the customer's answers find their case by it.
admin-mail-greeting-name-title = The greeting, with the customer's name
admin-mail-greeting-name-about = How every mail begins when the customer gave their name.
admin-mail-greeting-title = The greeting, without a name
admin-mail-greeting-about = How every mail begins when the customer gave no name.
admin-mail-signature-person-title = The signature of a person
admin-mail-signature-person-about = How every mail ends while a person looks after the case.
admin-mail-signature-team-title = The signature of the organisation
admin-mail-signature-team-about = How every mail ends while nobody owns the case.
admin-mail-var-greeting = the greeting, with the customer's name when they gave it
admin-mail-var-acknowledgement = the customer's words restated, who answers and by when
admin-mail-var-link = the customer's private link to their case
admin-mail-var-signature = the signature, of a person or of the organisation
admin-mail-var-reference = the case's reference
admin-mail-var-proposal = the resolution proposed, in the desk's words
admin-mail-var-organisation = your organisation's name
admin-mail-var-who = the name of the person who looks after the case
admin-mail-var-name = the customer's name
admin-mail-sample-name = Kim Lee
admin-mail-sample-who = Sam Taylor
admin-mail-sample-acknowledgement = We have your complaint about the heater in room 12, and we are sorry for the cold night. Sam Taylor will answer you by Friday 11 December.
admin-mail-sample-proposal = A refund of one night, €120, by bank transfer within five days.

## The password link, for the staff member it was made for

admin-welcome-title = Set your password
admin-welcome-lead = Welcome, { $name }. Choose a password to sign in to the desk as { $email }. This link works once.
admin-welcome-button = Save my password and sign in
admin-welcome-used-title = This link cannot be used
admin-welcome-used = It has been used already, a newer link replaced it, or it has expired. Ask an administrator for a new one.
