/*
 * The shell's variables: a name, a value and whether children get it
 * (export).  The environment the shell was given is exported; a child's
 * environment is made afresh for each command (var_environ).  A linear
 * table: a shell has tens of variables, not thousands.
 */
#include "sh.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct var {
	char *name;
	char *value;
	bool exported;
};

static struct var *vars;
static size_t var_count, var_room;

int positional_count;
char **positional;
char *shell_name = "sh";
int last_status;
pid_t last_background;

bool var_name_ok(const char *name, size_t len)
{
	if (len == 0 || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return false;
	return true;
}

static struct var *find(const char *name)
{
	for (size_t i = 0; i < var_count; i++)
		if (strcmp(vars[i].name, name) == 0)
			return &vars[i];
	return NULL;
}

const char *var_get(const char *name)
{
	const struct var *v = find(name);
	return v != NULL ? v->value : NULL;
}

void var_set(const char *name, const char *value, bool export)
{
	struct var *v = find(name);
	char *copy = strdup(value);

	if (copy == NULL)
		return;
	if (v == NULL) {
		if (var_count == var_room) {
			size_t room = var_room == 0 ? 32 : 2 * var_room;
			struct var *grown = realloc(vars, room * sizeof(*grown));
			if (grown == NULL) {
				free(copy);
				return;
			}
			vars = grown;
			var_room = room;
		}
		v = &vars[var_count++];
		*v = (struct var){ .name = strdup(name) };
	}
	free(v->value);
	v->value = copy;
	v->exported |= export;
}

void var_unset(const char *name)
{
	struct var *v = find(name);

	if (v == NULL)
		return;
	free(v->name);
	free(v->value);
	*v = vars[--var_count];
}

void var_export(const char *name)
{
	struct var *v = find(name);

	if (v != NULL)
		v->exported = true;
	else
		var_set(name, "", true);
}

void var_init(char **environ)
{
	for (char **e = environ; e != NULL && *e != NULL; e++) {
		const char *eq = strchr(*e, '=');
		if (eq == NULL || !var_name_ok(*e, (size_t)(eq - *e)))
			continue;
		char *name = strndup(*e, (size_t)(eq - *e));
		var_set(name, eq + 1, true);
		free(name);
	}
}

/* Whether assigns (NAME=value strings) set name. */
static bool assigned(char **assigns, const char *name)
{
	size_t len = strlen(name);

	for (char **a = assigns; a != NULL && *a != NULL; a++)
		if (strncmp(*a, name, len) == 0 && (*a)[len] == '=')
			return true;
	return false;
}

char **var_environ(char **assigns)
{
	size_t n = 0, extra = 0;

	for (char **a = assigns; a != NULL && *a != NULL; a++)
		extra++;
	char **env = malloc((var_count + extra + 1) * sizeof(*env));
	if (env == NULL)
		return NULL;
	for (size_t i = 0; i < var_count; i++) {
		if (!vars[i].exported || assigned(assigns, vars[i].name))
			continue;
		size_t size = strlen(vars[i].name) + strlen(vars[i].value) + 2;
		if ((env[n] = malloc(size)) != NULL)
			snprintf(env[n++], size, "%s=%s", vars[i].name, vars[i].value);
	}
	for (size_t i = 0; i < extra; i++)
		if ((env[n] = strdup(assigns[i])) != NULL)
			n++;
	env[n] = NULL;
	return env;
}

void var_list(bool exported_only)
{
	for (size_t i = 0; i < var_count; i++)
		if (!exported_only || vars[i].exported)
			printf("%s%s='%s'\n", exported_only ? "export " : "", vars[i].name,
			       vars[i].value);
}
