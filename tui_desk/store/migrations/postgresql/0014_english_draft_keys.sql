-- Schema 14: a registration draft keeps what was typed under the keys in code, one set of
-- keys in code and database: a customer field under its key in the field table
-- (rules/fields.py: "surname", the name in code and in the customers column), the wizard's own
-- fields under theirs (services/registration/draft.py: "card_number", "guardian_card",
-- "direct_debit" ..., the customers column's name where there is one), instead of the Dutch
-- names they had until now ("achternaam", "kaart", "ouder_pas", "incasso" ...), so that a
-- draft saved by an earlier version resumes with everything that was typed. Keys that were
-- English already (iban, bic, login_mode, tariff ...) stay. Drafts whose data is not a JSON
-- object with "values" (emptied after the retention period: '{}') are left alone.
-- docs/glossary.md lists the keys with the Dutch words on screen.
WITH renamed(old, new) AS (VALUES
    -- the field table's fields
    ('voorletters', 'initials'), ('voorvoegsel', 'prefix'), ('achternaam', 'surname'),
    ('roepnaam', 'first_name'), ('geboortedatum', 'birth_date'), ('land', 'country'),
    ('huisnummer', 'house_number'), ('toevoeging', 'house_suffix'), ('straat', 'street'),
    ('plaats', 'place'), ('persoon', 'gender'), ('telefoon', 'phone'),
    -- the wizard's own fields
    ('kaart', 'card_number'), ('kaart_gereserveerd', 'card_reserved'),
    ('kaart_v', 'card_issued_by_system'),
    ('ouder_pas', 'guardian_card'), ('ouder_relatie', 'guardian_relation'),
    ('ouder_naam', 'guardian_name'), ('ouder_telefoon', 'guardian_phone'),
    ('ouder_email', 'guardian_email'),
    ('incasso', 'direct_debit'), ('legitimatie', 'id_checked'), ('inlogaccount', 'use_login'),
    ('email_leeg', 'no_email'), ('nieuwsbrief', 'newsletter'), ('selectie', 'selection'),
    ('leenhistorie', 'loan_history'), ('melding_eerder_geleend', 'notify_loaned_before'),
    ('kanaal', 'channel'), ('taal', 'language'),
    ('adres_gecontroleerd', 'address_verified'), ('regio', 'region'))
UPDATE registration_drafts AS d
SET data = jsonb_set(d.data::jsonb, '{values}', (
    SELECT COALESCE(jsonb_object_agg(COALESCE(r.new, v.key), v.value), '{}'::jsonb)
    FROM jsonb_each(d.data::jsonb -> 'values') AS v LEFT JOIN renamed r ON r.old = v.key))::text
-- (PostgreSQL 15 has no json_valid: the data is JSON text written by json.dumps; '{}' and other
-- objects without "values" are left alone, as in SQLite.)
WHERE left(d.data, 1) = '{' AND jsonb_typeof(d.data::jsonb -> 'values') = 'object';
