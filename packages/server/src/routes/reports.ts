import { ReportQuerySchema, ReportSchema, WorkspaceQuerySchema } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { buildReport, reportCsvRows } from '../engine/reports.js';
import { listScope } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import { toCsv } from '../tracking/index.js';
import { scopedPublisherId } from './scope.js';

export function reportRoutes(api: Api, context: AppContext): void {
  api.route(
    {
      method: 'get',
      path: '/v1/reports',
      tag: 'Reports',
      access: 'key',
      summary: 'Clicks, conversions, revenue, payout and profit, grouped and filtered (format=csv exports)',
      query: ReportQuerySchema.extend(WorkspaceQuerySchema.shape),
      response: ReportSchema,
      produces: ['text/csv'],
    },
    async ({ query, auth, req, res }) => {
      const { workspaceId, ...rest } = query;
      const scoped = { ...rest, publisherId: scopedPublisherId(auth, query.publisherId) };
      const report = await buildReport(context, scoped, auth.role, await listScope(context.store, auth, workspaceId));
      const csv = query.format === 'csv' || (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (!csv) return report;
      const { columns, rows } = reportCsvRows(report);
      res.type('text/csv').setHeader('Content-Disposition', 'attachment; filename="report.csv"');
      res.send(toCsv(columns, rows));
      return undefined;
    },
  );
}
