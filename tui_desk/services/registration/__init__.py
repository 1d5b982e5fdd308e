"""The registration wizard without a screen: a draft that knows its steps and their rules.

The screen shows a field and sends back what the person typed; this service checks it (through
the one field table, ``rules.fields``), keeps what was typed in the database on every change
(so a dropped connection loses nothing) and says what is missing before the wizard may go on.
Benchmarks, concurrency tests and draft recovery drive the whole registration through
``RegistrationService``.

- ``draft.py``: the steps, step 1's fields in the manual's order, the draft, the results.
- ``checks.py``: the draft kept, each field checked, what is mandatory.
- ``customer_step.py``: "V", the postcode table, duplicates, leaving step 1.
- ``service.py``: ``RegistrationService``, steps 2 and 3.
- ``create.py``: OK in step 3, the new customer in one transaction.
"""

from __future__ import annotations

from tui_desk.services.customer_data import CustomerData
from tui_desk.services.registration.create import Created, create_customer
from tui_desk.services.registration.draft import (
    CUSTOMER_FIELDS,
    FIELD,
    GENDER_CHOICES,
    GUARDIAN_FIELDS,
    GUARDIAN_TYPED_FIELDS,
    LOGIN_EXISTING,
    LOGIN_GENERATED,
    LOGIN_NONE,
    NEWSLETTER_NEEDS_EMAIL,
    NO,
    NO_LOGIN_WARNING,
    STEP_CUSTOMER,
    STEP_DONE,
    STEP_LOGIN,
    STEP_SUBSCRIPTION,
    STEPS,
    YES,
    AddressLookup,
    Draft,
    DuplicateCandidate,
    DuplicatesFound,
    FieldSpec,
    Registered,
    StepIncomplete,
    login_choice,
)
from tui_desk.services.registration.service import RegistrationService

__all__ = [
    "CUSTOMER_FIELDS", "FIELD", "GENDER_CHOICES", "GUARDIAN_FIELDS", "GUARDIAN_TYPED_FIELDS",
    "LOGIN_EXISTING", "LOGIN_GENERATED", "LOGIN_NONE", "NEWSLETTER_NEEDS_EMAIL", "NO",
    "NO_LOGIN_WARNING", "STEPS", "STEP_CUSTOMER", "STEP_DONE", "STEP_LOGIN", "STEP_SUBSCRIPTION",
    "YES", "AddressLookup", "Created", "CustomerData", "Draft", "DuplicateCandidate",
    "DuplicatesFound", "FieldSpec", "Registered", "RegistrationService", "StepIncomplete",
    "create_customer", "login_choice",
]
