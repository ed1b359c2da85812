"""Who people are: accounts of users, sign-in sessions, two-factor, audit trail,
export and deletion of a user's data.
"""
