"""python -m workshop.cli"""

from workshop.cli import main

main()
