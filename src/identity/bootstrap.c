/* bootstrap.c - the first administrator of a new installation. */
#include "identity/internal.h"

#include "base/alloc.h"
#include "base/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int idn_bootstrap_admin(struct store *s, const char *name, const char *cred_path,
			bool *ret_created, struct cep_error *err)
{
	struct cep_principal console;
	char password[48], buf[512];
	json_t *in = NULL, *user = NULL, *tok = NULL;
	char *secret = NULL;
	int64_t admins = 0;
	int fd = -1, rc, n;

	cep_principal_system(&console);
	rc = store_query_int(s, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0",
			     NULL, 0, &admins);
	if (rc < 0)
		return cep_error_set(err, rc, "db", "cannot read users");
	if (admins > 0) {
		*ret_created = false;
		return 0;
	}
	/* Claim the file first: the credentials must never be lost or overwrite another's. */
	fd = open(cred_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return cep_error_set(err, CEP_EEXIST, "credentials",
				     "cannot create the credentials file %s: %s%s", cred_path,
				     strerror(errno),
				     errno == EEXIST ? " (move it away after reading it, then retry)" : "");
	cep_random_b64(password, sizeof(password), 18);
	in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", name, "org", "nisc", "role", "admin",
		       "display_name", "Administrator", "password", password);
	rc = in ? idn_user_add(s, &console, in, &user, err) : CEP_ENOMEM;
	if (rc == 0)
		rc = idn_token_issue(s, &console, name, "bootstrap", 30, &secret, &tok, err);
	if (rc < 0)
		goto out;
	n = snprintf(buf, sizeof(buf),
		     "# ceptoar first administrator: one-time credentials.\n"
		     "# Sign in, set a new password, revoke this token, then delete this file.\n"
		     "name=%s\npassword=%s\ntoken=%s\n",
		     name, password, secret);
	if (n < 0 || (size_t)n >= sizeof(buf) || write(fd, buf, (size_t)n) != n || fsync(fd) < 0) {
		rc = cep_error_set(err, CEP_EIO, "credentials", "cannot write %s: %s", cred_path,
				   strerror(errno));
		goto out;
	}
	*ret_created = true;
out:
	if (fd >= 0) {
		close(fd);
		if (rc < 0)
			unlink(cred_path);
	}
	memset(password, 0, sizeof(password));
	memset(buf, 0, sizeof(buf));
	cep_free(secret);
	json_decref(in);
	json_decref(user);
	json_decref(tok);
	return rc;
}
