import sys

from desk.cli import main

sys.exit(main())
