"""Documents the core makes: spreadsheets, the chart, .ics, QR sheets, roster and menu files."""
