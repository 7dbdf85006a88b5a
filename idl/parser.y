/*
 * The grammar of the .defs language: MIG's, as Mach 3 and its
 * descendants write it.  The actions only record what they read (types.c,
 * routine.c); meaning is checked afterwards, in check.c.  After a syntax
 * error the parser skips to the next ';' and goes on, so that one run
 * reports every error it can.
 */
%code requires {
#include "diag.h"
#include "routine.h"
#include "types.h"

/* A location is where a construct starts (diag.h has no end). */
#define YYLLOC_DEFAULT(Current, Rhs, N) \
	((Current) = (N) ? YYRHSLOC(Rhs, 1) : YYRHSLOC(Rhs, 0))
}

%code {
#include "lexer.h"

static void yyerror(const char *msg);

/* The type that ctype:, intran: and the other clauses apply to. */
static struct type *clause_target;

/* Keeps constant expressions within 32 bits (and the compiler's own
 * arithmetic far from overflow). */
static long in_range(struct loc at, long value)
{
	if (value > 0x7fffffffL || value < -0x7fffffffL) {
		diag_error(at, "value %ld is out of range", value);
		return 0;
	}
	return value;
}

static struct ipc_pair pair_of(struct ipc_type in)
{
	struct ipc_pair p = { in, in, false };

	return p;
}
}

%define parse.error verbose
%define api.location.type {struct loc}
%locations

%union {
	char *str;
	long num;
	bool flag;
	struct ipc_type ipc;
	struct ipc_pair pair;
	struct type *type;
	struct arg *arg;
	enum direction dir;
	enum dealloc dealloc;
	struct trans trans;
	unsigned mods;
}

%token <str> IDENT "identifier"
%token <str> STRING "string"
%token <str> ANGLE "<file name>"
%token <num> NUMBER "number"
%token <ipc> IPCTYPE "IPC type name"
%token K_SUBSYSTEM "subsystem" K_KERNELUSER "KernelUser"
%token K_KERNELSERVER "KernelServer" K_ROUTINE "routine"
%token K_SIMPLEROUTINE "simpleroutine" K_SKIP "skip" K_TYPE "type"
%token K_IMPORT "import" K_UIMPORT "uimport" K_SIMPORT "simport"
%token K_SERVERPREFIX "serverprefix" K_USERPREFIX "userprefix"
%token K_SERVERDEMUX "serverdemux" K_RCSID "rcsid" K_WAITTIME "waittime"
%token K_NOWAITTIME "nowaittime" K_MSGOPTION "msgoption" K_ARRAY "array"
%token K_OF "of" K_STRUCT "struct" K_CSTRING "c_string" K_CTYPE "ctype"
%token K_CUSERTYPE "cusertype" K_CSERVERTYPE "cservertype"
%token K_INTRAN "intran" K_OUTTRAN "outtran" K_DESTRUCTOR "destructor"
%token K_IN "in" K_OUT "out" K_INOUT "inout" K_REQUESTPORT "requestport"
%token K_REPLYPORT "replyport" K_SREPLYPORT "sreplyport"
%token K_UREPLYPORT "ureplyport" K_MSGSEQNO "msgseqno"
%token K_POLYMORPHIC "polymorphic" K_DEALLOC "dealloc"
%token K_NOTDEALLOC "notdealloc"

%type <num> intexp
%type <ipc> ipcprim
%type <pair> ipcpair
%type <type> typespec basicspec argtype
%type <arg> argument arglist arguments
%type <dir> direction
%type <dealloc> ipcflags ipcflag
%type <str> filename symbol
%type <trans> translation
%type <mods> submods

%left '+' '-'
%left '*' '/'

%%

file
	: %empty
	| file statement
	;

statement
	: subsystem ';'
	| K_SERVERPREFIX IDENT ';' { subsystem.server_prefix = $2; }
	| K_USERPREFIX IDENT ';'   { subsystem.user_prefix = $2; }
	| K_SERVERDEMUX IDENT ';'  { subsystem.server_demux = $2; }
	| K_RCSID STRING ';'       { subsystem.rcsid = $2; }
	| K_WAITTIME symbol ';'    { subsystem.waittime = $2; }
	| K_NOWAITTIME ';'         { subsystem.waittime = NULL; }
	| K_MSGOPTION symbol ';'   { subsystem.msgoption = $2; }
	| K_IMPORT filename ';'    { import_add(IMPORT_BOTH, $2); }
	| K_UIMPORT filename ';'   { import_add(IMPORT_USER, $2); }
	| K_SIMPORT filename ';'   { import_add(IMPORT_SERVER, $2); }
	| typedecl ';'
	| routine ';'
	| K_SKIP ';'               { routine_skip(@1); }
	| ';'
	| error ';'                { yyerrok; }
	;

subsystem
	: K_SUBSYSTEM submods IDENT NUMBER
		{ subsystem_declare(@3, $3, $4, $2 & 1, $2 & 2); }
	;

submods
	: %empty                  { $$ = 0; }
	| submods K_KERNELUSER    { $$ = $1 | 1; }
	| submods K_KERNELSERVER  { $$ = $1 | 2; }
	;

symbol
	: IDENT
	| NUMBER  { $$ = xasprintf("%ld", $1); }
	;

filename
	: STRING
	| ANGLE
	;

typedecl
	: K_TYPE IDENT '=' typespec { clause_target = $4; } clauses
		{ type_declare($4, $2, @2); }
	;

typespec
	: basicspec
	| IDENT                   { $$ = type_previous(@1, $1); }
	| K_ARRAY '[' ']' K_OF typespec
		{ $$ = type_array(@1, true, 0, $5); }
	| K_ARRAY '[' '*' ':' intexp ']' K_OF typespec
		{ $$ = type_array(@1, true, $5, $8); }
	| K_ARRAY '[' intexp ']' K_OF typespec
		{ $$ = type_array(@1, false, $3, $6); }
	| K_STRUCT '[' intexp ']' K_OF typespec
		{ $$ = type_struct(@1, $3, $6); }
	| K_CSTRING '[' intexp ']'
		{ $$ = type_string(@1, false, $3); }
	| K_CSTRING '[' '*' ':' intexp ']'
		{ $$ = type_string(@1, true, $5); }
	| '^' typespec            { $$ = type_out_of_line(@1, $2); }
	;

basicspec
	: ipcpair                 { $$ = type_from_ipc(@1, $1, -1); }
	| '(' ipcpair ',' intexp ')'
		{ $$ = type_from_ipc(@2, $2, $4); }
	;

ipcpair
	: ipcprim                 { $$ = pair_of($1); }
	| ipcprim '|' ipcprim     { $$ = pair_of($1); $$.out = $3; $$.pair = true; }
	;

ipcprim
	: IPCTYPE
	| NUMBER                  { $$ = ipc_type_by_number($1); }
	| K_POLYMORPHIC           { $$ = ipc_type_by_number(DISP_POLY); }
	;

intexp
	: NUMBER
	| intexp '+' intexp       { $$ = in_range(@2, $1 + $3); }
	| intexp '-' intexp       { $$ = in_range(@2, $1 - $3); }
	| intexp '*' intexp       { $$ = in_range(@2, $1 * $3); }
	| intexp '/' intexp
		{
			if ($3 == 0) {
				diag_error(@3, "division by zero");
				$$ = 0;
			} else {
				$$ = $1 / $3;
			}
		}
	| '(' intexp ')'          { $$ = $2; }
	;

clauses
	: %empty
	| clauses clause
	;

clause
	: K_CTYPE ':' IDENT
		{ type_set_cname(clause_target, TRANS_CTYPE, $3); }
	| K_CUSERTYPE ':' IDENT
		{ type_set_cname(clause_target, TRANS_CUSERTYPE, $3); }
	| K_CSERVERTYPE ':' IDENT
		{ type_set_cname(clause_target, TRANS_CSERVERTYPE, $3); }
	| K_INTRAN ':' translation
		{ type_set_intran(clause_target, $3); }
	| K_OUTTRAN ':' translation
		{ type_set_outtran(clause_target, $3); }
	| K_DESTRUCTOR ':' IDENT '(' IDENT ')'
		{ type_set_destructor(clause_target, $3, $5); }
	;

translation
	: IDENT IDENT '(' IDENT ')'
		{ $$.type = $1; $$.func = $2; $$.arg_type = $4; }
	;

routine
	: K_ROUTINE IDENT arguments
		{ routine_declare(@2, $2, false, $3); }
	| K_SIMPLEROUTINE IDENT arguments
		{ routine_declare(@2, $2, true, $3); }
	;

arguments
	: '(' ')'                 { $$ = NULL; }
	| '(' arglist ')'         { $$ = $2; }
	| '(' arglist ';' ')'     { $$ = $2; }
	;

arglist
	: argument
	| arglist ';' argument
		{
			struct arg *a = $1;

			while (a->next != NULL)
				a = a->next;
			a->next = $3;
			$$ = $1;
		}
	;

argument
	: direction IDENT ':' argtype ipcflags
		{ $$ = arg_new(@2, $1, $2, $4, $5); }
	;

direction
	: %empty                  { $$ = DIR_DEFAULT; }
	| K_IN                    { $$ = DIR_IN; }
	| K_OUT                   { $$ = DIR_OUT; }
	| K_INOUT                 { $$ = DIR_INOUT; }
	| K_REQUESTPORT           { $$ = DIR_REQUESTPORT; }
	| K_REPLYPORT             { $$ = DIR_REPLYPORT; }
	| K_SREPLYPORT            { $$ = DIR_SREPLYPORT; }
	| K_UREPLYPORT            { $$ = DIR_UREPLYPORT; }
	| K_WAITTIME              { $$ = DIR_WAITTIME; }
	| K_MSGOPTION             { $$ = DIR_MSGOPTION; }
	| K_MSGSEQNO              { $$ = DIR_MSGSEQNO; }
	;

argtype
	: IDENT                   { $$ = type_use(@1, $1); }
	| IDENT '=' typespec { clause_target = $3; } clauses
		{ type_name($3, $1, @1); $$ = $3; }
	;

ipcflags
	: %empty                  { $$ = DEALLOC_DEFAULT; }
	| ipcflags ',' ipcflag    { $$ = $3; }
	;

ipcflag
	: K_DEALLOC               { $$ = DEALLOC_YES; }
	| K_DEALLOC '[' ']'       { $$ = DEALLOC_USER; }
	| K_NOTDEALLOC            { $$ = DEALLOC_NO; }
	;

%%

static void yyerror(const char *msg)
{
	diag_error(yylloc, "%s", msg);
}
