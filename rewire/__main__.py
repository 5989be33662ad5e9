from rewire.cli import main

main()
