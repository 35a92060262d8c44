import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

/** `private`: its members only; `public`: every team member (README, Workspaces). */
export const WorkspaceVisibilitySchema = z.enum(['private', 'public']);
export type WorkspaceVisibility = z.infer<typeof WorkspaceVisibilitySchema>;

const workspaceFields = {
  name: z.string().trim().min(1).max(200),
  visibility: WorkspaceVisibilitySchema,
};

export const CreateWorkspaceParamsSchema = z.strictObject({
  ...workspaceFields,
  visibility: workspaceFields.visibility.default('private'),
});
export type CreateWorkspaceParams = z.input<typeof CreateWorkspaceParamsSchema>;

export const UpdateWorkspaceParamsSchema = z.strictObject(workspaceFields).partial();
export type UpdateWorkspaceParams = z.input<typeof UpdateWorkspaceParamsSchema>;

export const WorkspaceSchema = z.object({
  id: IdSchema,
  name: z.string(),
  visibility: WorkspaceVisibilitySchema,
  createdAt: TimestampSchema,
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** `?workspaceId=` on the lists of records that belong to a workspace. */
export const WorkspaceQuerySchema = z.object({ workspaceId: IdSchema.optional() });
