/* The scanner (lexer.l), as the parser and main.c see it. */
#pragma once

#include <stdio.h>

#include "diag.h"
#include "types.h"

extern FILE *yyin;
int yylex(void);

/* Names the input for diagnostics until a line marker renames it. */
void lexer_set_file(const char *name);
