import { z } from 'zod';

export const ErrorIssueSchema = z.object({
  /** Dotted path of the offending field, such as `payout.amount`. */
  path: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

/** Every error the API returns: `{ error: { code, message, issues? } }`. */
export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(ErrorIssueSchema).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** Turns zod issues into the wire shape, naming each field by its dotted path. */
export function toErrorIssues(error: z.ZodError, prefix: (string | number)[] = []): ErrorIssue[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].map(String).join('.');
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return {
      path: unknownKeys.length > 0 ? [path, unknownKeys[0]].filter(Boolean).join('.') : path,
      code: issue.code,
      message: issue.message,
    };
  });
}

/** One line that names every offending field: `amount: has more than 2 decimal places; currency: …`. */
export function describeIssues(issues: ErrorIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
}
