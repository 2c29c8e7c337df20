package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/awards-dev/awards/judging"
)

// childEnv marks the test binary re-run as the service itself, so that a test can kill -9 a
// real process.
const childEnv = "AWARDS_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, nil, os.Getenv, os.Stdout)
		stop()
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startChild runs the service as a child process on the embedded store in dir.
func startChild(t *testing.T, dir string) (*exec.Cmd, client) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "AWARDS_ADDR="+addr, "AWARDS_DATA_DIR="+dir,
		"AWARDS_ADMIN_EMAIL=admin@crash.test", "AWARDS_ADMIN_PASSWORD=crash-admin-1", "AWARDS_LOG_LEVEL=warn")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("service log:\n%s", logs.String())
		}
	})
	c := client{t, "http://" + addr}
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			return cmd, c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service did not start on %s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitSnapshot waits until a snapshot of the embedded store in dir (a JSON file there) holds
// text: the store writes one by itself about a second after each write.
func waitSnapshot(t *testing.T, dir, text string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(text)) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot in %s holds %q after 30 s", dir, text)
		}
	}
}

func TestCrash_AcknowledgedWritesSurvive(t *testing.T) {
	// a write acknowledged and snapshotted (about a second later) is there after a kill -9 and
	// a restart; a clean stop loses nothing, even right after the write
	for _, tc := range []struct {
		name        string
		snapshotted bool // wait for the store's own snapshot to hold the write before the stop
		stop        syscall.Signal
	}{
		{"kill -9 once the write is snapshotted", true, syscall.SIGKILL},
		{"SIGTERM right after the write", false, syscall.SIGTERM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd, c := startChild(t, dir)
			admin := c.login("admin@crash.test", "crash-admin-1")
			prog := map[string]any{
				"name": "Crash", "timezone": "Europe/Paris",
				"submissions_close": "2099-01-01T00:00:00Z", "judging_close": "2099-02-01T00:00:00Z", "ceremony_at": "2099-02-02T13:00:00Z",
				"categories": []map[string]any{{"id": "cyber", "name": "Cyber", "criteria": []map[string]any{{"id": "x", "name": "X", "weight": 1, "min": 0, "max": 10}}}},
			}
			if got := c.do("PUT", "/programme", admin, prog, nil); got != 200 {
				t.Fatalf("programme: %d", got)
			}
			if got := c.do("POST", "/auth/register", "", map[string]any{"email": "ex@crash.test", "password": "crash-exhibitor", "company": "Crash Ltd", "country": "FR"}, nil); got != 201 {
				t.Fatalf("register: %d", got)
			}
			ex := c.login("ex@crash.test", "crash-exhibitor")
			var e judging.Entry
			if got := c.do("POST", "/entries", ex, map[string]any{"category_id": "cyber", "title": "Acknowledged " + strconv.Itoa(int(tc.stop))}, &e); got != 201 {
				t.Fatalf("entry: %d", got)
			}
			if tc.snapshotted {
				waitSnapshot(t, dir, e.ID)
			}
			cmd.Process.Signal(tc.stop)
			cmd.Wait()

			_, c = startChild(t, dir)
			ex = c.login("ex@crash.test", "crash-exhibitor")
			var got judging.Entry
			if status := c.do("GET", "/entries/"+e.ID, ex, nil, &got); status != 200 || got.Title != e.Title {
				t.Fatalf("after restart: %d %+v, want the entry %q", status, got, e.Title)
			}
		})
	}
}
