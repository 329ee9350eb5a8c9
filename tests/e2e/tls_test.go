package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rampart-dev/rampart/tests/e2e/rampartdtest"
)

// rampartd serving HTTPS with a certificate from a throwaway CA the test makes: clients
// trusting that CA (Go's HTTP client, the provider through ca_file) work; clients that do
// not, plain HTTP and TLS 1.1 are refused; unusable TLS files stop serve with a message
// naming the flag.
func TestServeOverTLSWithAThrowawayCA(t *testing.T) {
	found := findTools(t)
	files := newThrowawayPKI(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	token := bootstrapDataDir(t, found.rampartd, dataDir)
	address := freeLoopbackAddress(t)
	endpoint := "https://" + address

	trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: files.pool, MinVersion: tls.VersionTLS12}}}
	server := startServe(t, found.rampartd,
		[]string{"--data-dir", dataDir, "--listen", address, "--tls-cert", files.certificate, "--tls-key", files.key},
		nil, filepath.Join(t.TempDir(), "rampartd.log"), trusting, endpoint+"/healthz")
	t.Cleanup(server.kill)

	request, _ := http.NewRequest(http.MethodGet, endpoint+"/v1/workspaces", nil)
	request.Header.Set("Authorization", "Bearer "+token)
	response, err := trusting.Do(request)
	if err != nil || response.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/workspaces over TLS: %v %v", response, err)
	}
	response.Body.Close()
	if response.TLS == nil || response.TLS.Version < tls.VersionTLS12 {
		t.Errorf("negotiated %v, want TLS 1.2 or later", response.TLS)
	}

	refusals := map[string]*http.Client{
		"a client that does not trust the CA": {Timeout: 10 * time.Second},
		"a TLS 1.1 client": {Timeout: 10 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: files.pool, MaxVersion: tls.VersionTLS11}}},
	}
	for who, client := range refusals {
		if response, err := client.Get(endpoint + "/healthz"); err == nil {
			response.Body.Close()
			t.Errorf("%s got an answer (%d), want a failed handshake", who, response.StatusCode)
		}
	}
	if response, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + address + "/healthz"); err == nil {
		response.Body.Close()
		if response.StatusCode == http.StatusOK {
			t.Error("plain HTTP to the TLS port answered 200")
		}
	}

	// The provider, trusting the CA through ca_file (RAMPART_CA_FILE).
	d := &daemon{Daemon: &rampartdtest.Daemon{Endpoint: endpoint, Token: token}, t: t, http: trusting}
	tf := newCLI(t, found, d, writeConfig(t, providerBlock+`
resource "rampart_workspace" "secure" {
  name = "secure"
}
`))
	tf.env = append(tf.env, "RAMPART_CA_FILE="+files.caCertificate)
	tf.quiet = true
	tf.expect(0, "init", "-input=false")
	tf.expect(0, "apply", "-auto-approve", "-input=false")
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")
	d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces/secure", nil)
}

func TestServeRefusesUnusableTLSFiles(t *testing.T) {
	found := findTools(t)
	files := newThrowawayPKI(t)
	otherKey := filepath.Join(t.TempDir(), "other-key.pem")
	writePrivateKey(t, otherKey, newKey(t))
	dataDir := filepath.Join(t.TempDir(), "data")
	bootstrapDataDir(t, found.rampartd, dataDir)
	for _, tc := range []struct {
		name string
		tls  []string
		want string
	}{
		{"key without certificate", []string{"--tls-key", files.key}, "--tls-cert: is required with --tls-cert and --tls-key"},
		{"missing certificate file", []string{"--tls-cert", files.certificate + ".missing", "--tls-key", files.key},
			"--tls-cert: cannot read " + files.certificate + ".missing"},
		{"a key given as the certificate", []string{"--tls-cert", files.key, "--tls-key", files.key},
			"--tls-cert: " + files.key + " holds no usable PEM certificate"},
		{"a key that is not the certificate's", []string{"--tls-cert", files.certificate, "--tls-key", otherKey},
			"--tls-key: " + otherKey + " does not match the certificate in " + files.certificate},
	} {
		args := append([]string{"serve", "--data-dir", dataDir, "--listen", freeLoopbackAddress(t)}, tc.tls...)
		output, err := exec.Command(found.rampartd, args...).CombinedOutput()
		exitErr, exited := err.(*exec.ExitError)
		if !exited || exitErr.ExitCode() != 1 {
			t.Errorf("%s: serve ended with %v, want exit status 1\n%s", tc.name, err, output)
		}
		if !strings.Contains(string(output), tc.want) {
			t.Errorf("%s: serve said\n%s\nwant it to say %q", tc.name, output, tc.want)
		}
	}
}

// throwawayPKI is a CA and a server certificate for 127.0.0.1 it signed, as PEM files.
type throwawayPKI struct {
	caCertificate, certificate, key string
	pool                            *x509.CertPool
}

func newThrowawayPKI(t *testing.T) throwawayPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, serverKey := newKey(t), newKey(t)
	now := time.Now()
	caTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "rampart test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCertificate, _ := x509.ParseCertificate(caDER)
	serverTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "rampartd"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	serverDER, err := x509.CreateCertificate(rand.Reader, serverTemplate, caCertificate, &serverKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pki := throwawayPKI{
		caCertificate: filepath.Join(dir, "ca.pem"), certificate: filepath.Join(dir, "server.pem"),
		key: filepath.Join(dir, "server-key.pem"), pool: x509.NewCertPool(),
	}
	pki.pool.AddCert(caCertificate)
	writePEM(t, pki.caCertificate, "CERTIFICATE", caDER)
	writePEM(t, pki.certificate, "CERTIFICATE", serverDER)
	writePrivateKey(t, pki.key, serverKey)
	return pki
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func writePrivateKey(t *testing.T, path string, key *ecdsa.PrivateKey) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, path, "PRIVATE KEY", der)
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
