// Package dashboards holds vigia's Grafana dashboards (cumplimiento.json,
// rastreador.json, archivo.json), their provisioning (provisioning/) and
// the Prometheus alerting rules (alerts.yml); see README.md and
// docs/operations.md. It has no Go code of its own: its tests check those
// files.
//
// Without a server, the tests check the dashboards' JSON model, that every
// PromQL expression of the panels and alerts names only metrics vigia
// exposes (testdata/exposed-metrics.txt, kept equal to the registries by
// cmd/vigia's TestExposedMetricsFile), the alert rules, and that the
// provisioning and deploy/ files fit together. With promtool installed,
// the alert rules' unit tests (alerts_test.yml) run in Prometheus's own
// engine; with Docker Compose, it reads deploy/compose.yaml. With a
// ClickHouse server (VIGIA_TEST_CLICKHOUSE, which scripts/test starts),
// TestDashboardQueries crawls the sample network with the vigia binary
// (built once by the tests) and runs every ClickHouse query of the
// dashboards, expanded as Grafana expands it, against that archive.
package dashboards
