package redistest

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// clusterNodes is how many masters a test cluster has (the least Redis Cluster accepts).
const clusterNodes = 3

// Cluster starts a throwaway three-master Redis Cluster for this test (no replicas, no
// persistence), stopped in tb.Cleanup, and returns a cluster client to it. Without a
// redis-server (or with AWARDS_TEST_REDIS=embedded) the test is skipped: the embedded store
// has no cluster mode.
func Cluster(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	if fallback() {
		tb.Skip("Redis Cluster needs a redis-server; skipped on the embedded fallback")
	}
	type node struct {
		host      string
		port, bus int
		c         *redis.Client
	}
	nodes := make([]node, 0, clusterNodes)
	for len(nodes) < clusterNodes {
		bus, err := freePort()
		if err != nil {
			tb.Fatal(err)
		}
		addr, _, err := startRedis(tb, "--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(bus),
			"--cluster-node-timeout", "5000", "--cluster-config-file", "nodes.conf")
		if err != nil {
			tb.Logf("redistest: cluster node: %v (retrying)", err)
			continue
		}
		host, p, _ := net.SplitHostPort(addr)
		port, _ := strconv.Atoi(p)
		c := redis.NewClient(&redis.Options{Addr: addr})
		tb.Cleanup(func() { c.Close() })
		nodes = append(nodes, node{host, port, bus, c})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const slots = 16384
	for i, n := range nodes {
		lo, hi := i*slots/clusterNodes, (i+1)*slots/clusterNodes-1
		if err := n.c.ClusterAddSlotsRange(ctx, lo, hi).Err(); err != nil {
			tb.Fatalf("redistest: add slots: %v", err)
		}
		if i > 0 {
			if err := nodes[0].c.Do(ctx, "CLUSTER", "MEET", n.host, n.port, n.bus).Err(); err != nil {
				tb.Fatalf("redistest: cluster meet: %v", err)
			}
		}
	}
	for _, n := range nodes {
		for {
			info, err := n.c.ClusterInfo(ctx).Result()
			if err == nil && strings.Contains(info, "cluster_state:ok") &&
				strings.Contains(info, "cluster_known_nodes:"+strconv.Itoa(clusterNodes)) {
				break
			}
			if ctx.Err() != nil {
				tb.Fatalf("redistest: the cluster did not form: %v %s", err, info)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = net.JoinHostPort(n.host, strconv.Itoa(n.port))
	}
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	tb.Cleanup(func() { c.Close() })
	if err := c.ForEachShard(ctx, func(ctx context.Context, s *redis.Client) error { return s.Ping(ctx).Err() }); err != nil {
		tb.Fatalf("redistest: cluster client: %v", err)
	}
	return c
}
