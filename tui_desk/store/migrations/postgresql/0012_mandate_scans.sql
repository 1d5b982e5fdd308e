-- Schema 12: the signed mandate's scan is a record. It arrives in the scan inbox, is matched by
-- the document code in its top-left barcode and archived here (file_data, with its SHA-256 to
-- prove it unchanged), and removed by maintenance once [creditor] mandate_retention_months have
-- passed since the mandate's last collection (file_removed_at says when; the row stays).
ALTER TABLE customer_documents ADD COLUMN file_sha256 TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE customer_documents ADD COLUMN file_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_documents ADD COLUMN file_removed_at TEXT COLLATE "C";
