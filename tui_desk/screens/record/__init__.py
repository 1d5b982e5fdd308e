"""The customer record's parts (``screens.customer``): one widget per tab, and the popup of the
private notices."""
