"""`python -m builder build ...`: the same as the `dossier` console script."""
import sys

from builder.cli import main

sys.exit(main())
