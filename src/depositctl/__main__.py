from depositctl.cli.main import main

main()
