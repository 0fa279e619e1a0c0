/* main.c: the program is the command line (cli.c). */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return pep_main(argc, argv, stdout, stderr);
}
