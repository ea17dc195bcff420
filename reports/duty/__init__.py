"""The annual duty: which units owe a report, by when, how each stands, and the reminders."""
