// Command embedded-db runs FerretDB (SQLite backend) in-process so development,
// tests and CI get a real MongoDB-wire database without Docker or downloads.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data", ".data/db", "directory holding the SQLite files")
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	logLevel := flag.String("log-level", "warn", "FerretDB log level (debug, info, warn, error)")
	flag.Parse()

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		log.Fatalf("embedded-db: bad data directory: %v", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		log.Fatalf("embedded-db: cannot create data directory: %v", err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  "sqlite",
		// WAL with synchronous=NORMAL: a commit survives a crash of this process, and only an OS crash
		// can lose the last ones, as MongoDB's default write concern (journal flushed every 100 ms)
		// allows. FULL would fsync on every commit and cut write throughput by about 40%.
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(normal)",
		Logger:    newLogger(*logLevel),
	})
	if err != nil {
		log.Fatalf("embedded-db: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// The URI line is the readiness signal that launchers wait for.
	fmt.Println(f.MongoDBURI())

	if err := <-done; err != nil && ctx.Err() == nil {
		log.Fatalf("embedded-db: %v", err)
	}
}
