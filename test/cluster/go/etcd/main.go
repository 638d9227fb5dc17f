// Command etcd is the etcd server, built from the published etcd modules so
// the test cluster needs nothing from outside the Go module proxy. It hands
// its arguments to etcd's own command line (etcdmain), so every upstream
// flag works as documented.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
