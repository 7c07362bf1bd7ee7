package dashboards

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDashboardQueriesOnCluster runs every panel's query on the 2 x 2
// test cluster (scripts/clickhouse-cluster; VIGIA_TEST_CLICKHOUSE_CLUSTER),
// as the user "grafana" whose profile is readonly=1 (docs/operations.md),
// connected to a server other than the one the crawler wrote through: the
// queries need no setting (a readonly=1 user may send none, and the
// plugin would send a data source's custom settings with every query).
func TestDashboardQueriesOnCluster(t *testing.T) {
	name, servers := os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER"), strings.Fields(os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER_SERVERS"))
	if name == "" || len(servers) != 4 {
		if os.Getenv("VIGIA_REQUIRE_CLUSTER") != "" {
			t.Fatal("VIGIA_REQUIRE_CLUSTER is set but VIGIA_TEST_CLICKHOUSE_CLUSTER(_SERVERS) name no cluster")
		}
		t.Skip("no ClickHouse cluster (scripts/test starts one when zookeeper and clickhouse-server are installed)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "vigia_dashboards_" + hex.EncodeToString(b[:])
	arc := dashboardArchive(t, servers[0]+"/"+db+"?cluster="+name)
	t.Cleanup(func() {
		_ = openClickHouse(t, servers[0]+"/default").Exec(t.Context(), "DROP DATABASE IF EXISTS "+db+" ON CLUSTER "+name)
	})
	grafana := strings.Replace(servers[2], "clickhouse://", "clickhouse://grafana@", 1) + "/" + db
	conn := openClickHouse(t, grafana)
	if err := conn.Exec(t.Context(), "CREATE TABLE "+db+".escritura (x UInt8) ENGINE = Memory"); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("the grafana user could create a table (%v): its profile is not readonly=1", err)
	}
	checkDashboardQueries(t, arc, conn)
}

// selfAlias is an aggregate whose alias is the name of the column it reads
// unqualified, as in argMax(area, recorded_at) AS area: the analyzer of
// current ClickHouse releases resolves that name to the alias, 18.16 to
// the column. The queries qualify the column (argMax(acc.area, …) AS area).
var selfAlias = regexp.MustCompile(`\b\w+\((\w+)(?:, [\w.]+)*\) AS (\w+)\b`)

// TestNoAggregateAliasedAsItsColumn checks every panel's query for selfAlias.
func TestNoAggregateAliasedAsItsColumn(t *testing.T) {
	for _, d := range loadDashboards(t) {
		for _, p := range d.allPanels() {
			for _, tg := range p.Targets {
				for _, m := range selfAlias.FindAllStringSubmatch(tg.RawSQL, -1) {
					if m[1] == m[2] {
						t.Errorf("%s: panel %q: %q reads the column under its own alias: qualify it with the table's alias", d.file, p.Title, m[0])
					}
				}
			}
		}
	}
}
