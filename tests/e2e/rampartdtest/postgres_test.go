package rampartdtest

import "testing"

// The harness itself: what the high-availability tests lean on.
func TestPostgresKeepsCommitsAcrossRestartsAndCrashes(t *testing.T) {
	postgres := StartPostgres(t)
	first := postgres.CreateDatabase(t)
	second := postgres.CreateDatabase(t)
	if first == second {
		t.Fatalf("CreateDatabase returned %s twice", first)
	}
	db := first
	postgres.Query(t, db, "CREATE TABLE kept (n INT); INSERT INTO kept VALUES (1)")

	port := postgres.Port()
	postgres.Stop()
	postgres.Start()
	postgres.Query(t, db, "INSERT INTO kept VALUES (2)")
	// A crash (no shutdown checkpoint) loses no commit: fsync is on, recovery replays the WAL.
	postgres.Crash()
	postgres.Start()
	if got := postgres.Query(t, db, "SELECT string_agg(n::text, ',' ORDER BY n) FROM kept"); got != "1,2" {
		t.Errorf("after a restart and a crash the table holds %q, want \"1,2\"", got)
	}
	if postgres.Port() != port {
		t.Errorf("restarted on port %d, want %d: clients keep their URLs", postgres.Port(), port)
	}
	if got := postgres.Query(t, "postgres", "SHOW fsync"); got != "on" {
		t.Errorf("fsync is %q, want on: the crash tests count on it", got)
	}
}
