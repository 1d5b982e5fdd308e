"""Step 2 of the registration (Inlogaccount) and the login account on the customer record.

The manual: with "Gebruik inlogaccount" Ja the wizard asks *Bestaand inlogaccount gebruiken*
(look up the username, case-sensitive, show Gebruikersnaam and E-mail, link it) or *Nieuw
inlogaccount genereren* ("Genereren van inlogaccount gelukt", a username, and a mail with an
activation link valid for 24 hours). Accounts not activated in time are removed (the
maintenance run); "Vergeet inlogaccount" unlinks one so that a new one can be generated.

The customer row only exists once step 3 saves it, so:

* before that, the screen calls ``find_existing`` to show the "Resultaat";
* step 3's transaction calls ``complete`` (or ``use_existing`` / ``generate``) with the new
  customer's id. Every function here runs in the caller's transaction when there is one, else
  in its own: the account, the link, the queued activation mail and the audit rows commit
  together. Nothing waits on the SMTP server: the mail is only queued (see services/mailer.py).

Problems raise ``LoginAccountError`` (or another ``IdentityError``) whose text is Dutch and
meant for the screen.
"""

from __future__ import annotations

from tui_desk.services.login_accounts.activation import (
    ActivationResult,
    ExpiryReport,
    activate_link,
    demo_activate,
    expire_unactivated,
    link_in_mail,
)
from tui_desk.services.login_accounts.common import (
    AUDIT_ENTITY,
    CASE_SENSITIVE_HINT,
    CHOICE_EXISTING,
    CHOICE_NEW,
    EXISTING,
    FORGET_LABEL,
    GENERATED,
    GENERATED_MESSAGE,
    MAIL_KIND,
    MAIL_SUBJECT,
    MAIL_SUBJECT_EN,
    NO_EMAIL_MESSAGE,
    NONE,
    REMINDER_24_HOURS,
    REMOVED_NOTICE,
    RESULT_TITLE,
    SEARCH_TITLE,
    USERNAME_LABEL,
    CustomerLogin,
    LoginAccountError,
    activation_link,
    activation_mail,
    token_from_link,
)
from tui_desk.services.login_accounts.linking import (
    AccountResult,
    GenerateResult,
    LinkResult,
    LoginChoice,
    complete,
    find_existing,
    forget,
    generate,
    login_status,
    use_existing,
)

__all__ = [
    "AUDIT_ENTITY",
    "AccountResult",
    "ActivationResult",
    "CASE_SENSITIVE_HINT",
    "CHOICE_EXISTING",
    "CHOICE_NEW",
    "CustomerLogin",
    "EXISTING",
    "ExpiryReport",
    "FORGET_LABEL",
    "GENERATED",
    "GENERATED_MESSAGE",
    "GenerateResult",
    "LinkResult",
    "LoginAccountError",
    "LoginChoice",
    "MAIL_KIND",
    "MAIL_SUBJECT",
    "MAIL_SUBJECT_EN",
    "NONE",
    "NO_EMAIL_MESSAGE",
    "REMINDER_24_HOURS",
    "REMOVED_NOTICE",
    "RESULT_TITLE",
    "SEARCH_TITLE",
    "USERNAME_LABEL",
    "activate_link",
    "activation_link",
    "activation_mail",
    "complete",
    "demo_activate",
    "expire_unactivated",
    "find_existing",
    "forget",
    "generate",
    "link_in_mail",
    "login_status",
    "token_from_link",
    "use_existing",
]
