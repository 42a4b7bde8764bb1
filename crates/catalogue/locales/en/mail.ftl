## Mail to customers. Each mail is one message below; administrators may reword them (Administration → Mail to customers).
## Every mail is signed by a person when one looks after the case ($who), and carries the customer's private link ($link).

# The subject of every mail about a case; the reference in brackets lets answers find their case.
mail-subject = { $organisation } [{ $reference }]
mail-greeting-name = Dear { $name },
mail-greeting = Hello,

# The first answer to a new case. $acknowledgement restates their words, and names who answers and by when.
mail-acknowledgement =
    { $greeting }

    { $acknowledgement }

    Your private link, the only key to your case (keep it, and do not share it): { $link }
    You can also simply answer this email: your answer goes straight onto your case.

    { $signature }

# Below each reply written at the desk.
mail-reply-footer =
    Your case { $reference }: { $link }
    Answer this email, or write on your case's page.

# When a resolution is proposed.
mail-resolution-proposed =
    { $greeting }

    This is what we propose to put it right:

    { $proposal }

    Does this put it right for you? Say yes, or tell us what would make it right instead, here: { $link }
    You can also simply answer this email.

    { $signature }

# After the case is resolved: the three follow-up questions.
mail-follow-up =
    { $greeting }

    Your case { $reference } is resolved. Before we close it, three questions, so that we know whether we really put it right:

    1. Did everything go as expected?
    2. Have we delivered as promised?
    3. Have we met your expectations?

    You can answer them here, in a minute: { $link }
    A “no” to any of them reopens your case, and we take it up again.

    { $signature }

mail-signature-person =
    { $who }
    { $organisation }
mail-signature-team = { $organisation }
