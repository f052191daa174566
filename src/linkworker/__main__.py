"""`python -m linkworker` runs the same command as the `linkworker` script."""

from linkworker.cli import main

if __name__ == "__main__":
    main()
