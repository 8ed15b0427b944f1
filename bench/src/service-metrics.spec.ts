import { diffDbOps, parseDbOps } from './service-metrics';

const scrape = (findCount: number, findSum: number, touchCount: number) => `# HELP db_operation_seconds Database operation time
# TYPE db_operation_seconds histogram
db_operation_seconds_bucket{le="0.005",operation="find_by_id"} ${findCount}
db_operation_seconds_sum{operation="find_by_id"} ${findSum}
db_operation_seconds_count{operation="find_by_id"} ${findCount}
db_operation_seconds_sum{operation="extend_idle_expiry"} 0.5
db_operation_seconds_count{operation="extend_idle_expiry"} ${touchCount}
grpc_server_handled_total{method="ValidateSession",code="OK"} 12
`;

describe('service metrics', () => {
  it('reads count and sum per operation', () => {
    expect(parseDbOps(scrape(10, 0.02, 3))).toEqual({
      find_by_id: { count: 10, sumS: 0.02 },
      extend_idle_expiry: { count: 3, sumS: 0.5 },
    });
  });

  it('keeps only the operations that ran between two scrapes', () => {
    expect(diffDbOps(parseDbOps(scrape(10, 0.02, 3)), parseDbOps(scrape(110, 0.12, 3)))).toEqual({
      find_by_id: { count: 100, sumS: expect.closeTo(0.1, 9) },
    });
  });
});
