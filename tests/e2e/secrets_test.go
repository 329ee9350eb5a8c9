package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issued secrets never show anywhere but in the one answer that issues them: not in the
// daemon's log, the database and its WAL, audit rows and exports, error answers, the CLI's
// output or the OpenAPI document. The test issues keys every way there is, uses them, misuses
// them and revokes them, then greps everything the run produced for every secret.
func TestIssuedSecretsNeverAppearInLogsRowsErrorsOrDocuments(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)
	secrets := map[string]string{"bootstrap key": d.Token}
	var produced []string // every answer body and CLI output of the run

	issue := func(what, path string, body any) string {
		answer := d.expect(http.StatusCreated, http.MethodPost, path, body)
		var issued struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		if err := json.Unmarshal(answer.body, &issued); err != nil || issued.Token == "" {
			t.Fatalf("%v: no token in the answer (%v)", answer, err)
		}
		secrets[what] = issued.Token
		return issued.ID
	}
	issue("second organization's key", "/v1/organizations", map[string]any{"name": "globex"})
	d.expect(http.StatusCreated, http.MethodPost, "/v1/users", map[string]any{"email": "dana@example.com"})
	d.expect(http.StatusCreated, http.MethodPost, "/v1/role_assignments",
		map[string]any{"role": "organization.viewer", "user_id": "dana@example.com"})
	userKey := issue("user key", "/v1/users/dana@example.com/keys", map[string]any{"description": "laptop"})
	d.expect(http.StatusCreated, http.MethodPost, "/v1/service_accounts", map[string]any{"name": "ci"})
	issue("service account key", "/v1/service_accounts/ci/keys", map[string]any{})
	issue("expiring key", "/v1/service_accounts/ci/keys", map[string]any{"expires_at": "2099-01-01T00:00:00Z"})

	// Terraform issues one too; its output must show it as sensitive only.
	tf := newCLI(t, found, d, writeConfig(t, providerBlock+`
resource "rampart_service_account" "deployer" {
  name = "deployer"
}

resource "rampart_service_account_key" "deployer" {
  service_account_id = rampart_service_account.deployer.id
  description        = "made by terraform"
}

output "deployer_token" {
  value     = rampart_service_account_key.deployer.secret
  sensitive = true
}
`))
	tf.quiet = true
	produced = append(produced, tf.expect(0, "init", "-input=false"), tf.expect(0, "apply", "-auto-approve", "-input=false"),
		tf.expect(0, "plan", "-input=false"))
	var outputs map[string]struct{ Value string }
	if err := json.Unmarshal([]byte(tf.expect(0, "output", "-json")), &outputs); err != nil || outputs["deployer_token"].Value == "" {
		t.Fatalf("terraform output -json: %v", err)
	}
	secrets["key made by terraform"] = outputs["deployer_token"].Value

	// Use every key, and misuse them: a revoked key, a secret under another key's id, a
	// token with a byte changed, a token sent the wrong way.
	for what, token := range secrets {
		if what == "second organization's key" {
			continue
		}
		produced = append(produced, string(d.callWithToken(token, http.MethodGet, "/v1/organization", nil).body))
	}
	d.expect(http.StatusNoContent, http.MethodDelete, "/v1/api_keys/"+userKey, nil)
	for _, token := range secrets {
		keyID, secret, _ := strings.Cut(token, ".")
		for _, wrong := range []string{
			token, // revoked for the user key, valid for the others: each answer is checked below
			keyID + "." + secret + "x",
			"rmp_key_00000000000000000000." + secret,
			secret,
		} {
			answer := d.callWithToken(wrong, http.MethodPost, "/v1/workspaces", map[string]any{"name": "probe"})
			produced = append(produced, string(answer.body), answer.header.Get("WWW-Authenticate"))
		}
		answer := d.call(http.MethodGet, "/v1/workspaces", nil, "Authorization", "Basic "+token)
		produced = append(produced, string(answer.body))
	}

	// Everything the audit trail can give, in every format.
	for _, format := range []string{"jsonl", "csv", "ocsf"} {
		produced = append(produced, string(d.expect(http.StatusOK, http.MethodGet, "/v1/audit-events/export?format="+format, nil).body))
	}
	produced = append(produced, string(d.expect(http.StatusOK, http.MethodGet, "/v1/audit-events?page_size=1000", nil).body))
	for _, document := range []string{"/v1/openapi"} {
		if answer := d.call(http.MethodGet, document, nil); answer.status == http.StatusOK {
			produced = append(produced, string(answer.body))
		}
	}
	openapi, _ := filepath.Glob(filepath.Join(found.repoRoot, "proto", "openapi", "*.json"))
	files := append([]string{d.LogPath}, openapi...)
	dataFiles, _ := filepath.Glob(filepath.Join(d.DataDir, "rampart.db*")) // the database, its WAL and index
	files = append(files, dataFiles...)
	for _, file := range files {
		content, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		produced = append(produced, string(content))
	}
	if dump := sqlite(filepath.Join(d.DataDir, "rampart.db"), ".dump"); !strings.Contains(dump, "CREATE TABLE") {
		t.Fatalf("sqlite3 .dump: %s", dump)
	} else {
		produced = append(produced, dump)
	}

	everything := strings.Join(produced, "\n")
	for what, token := range secrets {
		prefix, secret, _ := strings.Cut(token, ".")
		keyID := strings.TrimPrefix(prefix, "rmp_")
		// The key's public id is logged and audited: finding it proves the grep reads the
		// places where a leaked secret would sit.
		if !strings.Contains(everything, keyID) {
			t.Errorf("the %s's id %s is nowhere in what the run produced: the grep misses the log or the rows", what, keyID)
		}
		if len(secret) < 20 {
			t.Fatalf("%s %q: want a key id, a dot and a long secret", what, token)
		}
		if strings.Contains(everything, secret) {
			t.Errorf("the %s's secret appears in what the run produced", what)
		}
	}
	t.Logf("%d secrets, none found in %d KiB of logs, rows, exports, answers and CLI output",
		len(secrets), len(everything)/1024)
}
