"""Business services: independent of Textual, they talk to the store."""
