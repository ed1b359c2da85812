"""A new member's first steps: the checklist that ticks itself as the household's data arrives."""
