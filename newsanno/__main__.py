import sys

from newsanno.cli import main

sys.exit(main())
