from depositctl.fast import main

main()
