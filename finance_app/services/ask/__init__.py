"""Questions in plain English, read on this machine: `parser` turns a question into an
`AskQuery` (or suggestions), `answer` computes it through the ledger core."""
