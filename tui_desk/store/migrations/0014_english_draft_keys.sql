-- Schema 14: a registration draft keeps what was typed under the customer fields' one key
-- (rules/fields.py: "surname", the name in code and in the customers column) instead of the
-- Dutch name it had until now ("achternaam"), so that a draft saved by an earlier version
-- resumes with everything that was typed. Only the keys of the field table change; the
-- wizard's own fields (kaart, incasso, ouder_pas ...) keep theirs. Drafts whose data is not a
-- JSON object with "values" (emptied after the retention period: '{}') are left alone.
WITH renamed(old, new) AS (VALUES
    ('voorletters', 'initials'), ('voorvoegsel', 'prefix'), ('achternaam', 'surname'),
    ('roepnaam', 'first_name'), ('geboortedatum', 'birth_date'), ('land', 'country'),
    ('huisnummer', 'house_number'), ('toevoeging', 'house_suffix'), ('straat', 'street'),
    ('plaats', 'place'), ('persoon', 'gender'), ('telefoon', 'phone'))
UPDATE registration_drafts
SET data = json_set(data, '$.values', (
    SELECT json_group_object(coalesce((SELECT new FROM renamed WHERE old = v.key), v.key),
                             v.value)
    FROM json_each(registration_drafts.data, '$.values') AS v))
WHERE CASE WHEN json_valid(data) THEN json_type(data, '$.values') = 'object' ELSE 0 END;
