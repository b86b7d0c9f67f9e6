"""Reports a methodist owes every year: plan fulfilment, participation and attendance, the school
interaction map, feedback, indicators, and the annual report of a municipality."""
