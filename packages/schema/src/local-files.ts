import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

/*
 * Local landers and offers, and keyword sets (README, Local landers and offers; Keyword sets). An archive is a zip of
 * static files uploaded with `PUT /v1/landers/:id/archive` or `PUT /v1/offers/:id/archive` and served at
 * `PUBLIC_URL/l/LANDER_ID/` or `PUBLIC_URL/o/OFFER_ID/`.
 */

/** The archive a lander or an offer serves, as its record shows it. */
export const LocalArchiveSchema = z.object({
  id: IdSchema,
  /** How many files it holds. */
  files: z.number().int(),
  /** Their unpacked size in bytes. */
  bytes: z.number().int(),
  /** Where it is served: `PUBLIC_URL/l/LANDER_ID/` or `PUBLIC_URL/o/OFFER_ID/`. */
  url: z.string(),
  uploadedAt: TimestampSchema,
});
export type LocalArchive = z.infer<typeof LocalArchiveSchema>;

export const ArchiveFileSchema = z.object({
  /** Relative to the archive's root, with `/` separators: `index.html`, `img/hero.png`. */
  path: z.string(),
  bytes: z.number().int(),
  /** The type it is served with (README, Local landers and offers: the allowlist by extension). */
  contentType: z.string(),
  /** Whether `{click_url}` and the click macros are expanded in it (`.html` files). */
  expandsMacros: z.boolean(),
});
export type ArchiveFile = z.infer<typeof ArchiveFileSchema>;

/** `PUT` and `GET /v1/landers/:id/archive` (and the offers' one): the archive and its files, by path. */
export const ArchiveListingSchema = LocalArchiveSchema.extend({ fileList: z.array(ArchiveFileSchema) });
export type ArchiveListing = z.infer<typeof ArchiveListingSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Keyword sets

export const KeywordSetModeSchema = z.enum(['weighted', 'sequential']);
export type KeywordSetMode = z.infer<typeof KeywordSetModeSchema>;

export const KeywordSchema = z.strictObject({
  text: z.string().trim().min(1).max(255),
  /** A relative weight in `weighted` mode: 200 and 100 are drawn 2 : 1. Unused in `sequential` mode. */
  weight: z.number().int().min(1).max(1000).default(100),
  /** Inactive keywords stay in the list and are never drawn. */
  active: z.boolean().default(true),
});
export type Keyword = z.output<typeof KeywordSchema>;

/** The most keywords one set holds. */
export const MAX_KEYWORDS = 5000;

const keywordSetFields = {
  name: z.string().trim().min(1).max(200),
  /** `weighted` draws by weight; `sequential` takes the active keywords in list order, round-robin across clicks. */
  mode: KeywordSetModeSchema,
  keywords: z
    .array(KeywordSchema)
    .max(MAX_KEYWORDS)
    .superRefine((keywords, ctx) => {
      // A repeated keyword would only skew the draw; say so rather than guess which one counts.
      const seen = new Set<string>();
      keywords.forEach((keyword, index) => {
        const key = keyword.text.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'text'], message: `"${keyword.text}" is listed twice` });
        seen.add(key);
      });
    }),
  notes: z.string().max(10_000).nullable(),
  /** On create it defaults to the account's first workspace. */
  workspaceId: IdSchema,
};

export const CreateKeywordSetParamsSchema = z.strictObject({
  ...keywordSetFields,
  mode: keywordSetFields.mode.default('weighted'),
  keywords: keywordSetFields.keywords.default([]),
  notes: keywordSetFields.notes.optional(),
  workspaceId: keywordSetFields.workspaceId.optional(),
});
export type CreateKeywordSetParams = z.input<typeof CreateKeywordSetParamsSchema>;

/** `PATCH` body: any subset; `keywords` is replaced whole. */
export const UpdateKeywordSetParamsSchema = z.strictObject(keywordSetFields).partial();
export type UpdateKeywordSetParams = z.input<typeof UpdateKeywordSetParamsSchema>;

export const KeywordSetSchema = z.object({
  id: IdSchema,
  name: z.string(),
  mode: KeywordSetModeSchema,
  keywords: z.array(z.object({ text: z.string(), weight: z.number().int(), active: z.boolean() })),
  notes: z.string().nullable(),
  workspaceId: IdSchema,
  /** Set by `DELETE`: the set leaves lists and offers may no longer choose it. */
  archivedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type KeywordSet = z.infer<typeof KeywordSetSchema>;

/**
 * An offer's `keywords`: each click draws up to `slots` distinct active keywords of the set, records the first as the
 * click's `keyword`, and expands `{keyword}` (the first) and `{kw1}`…`{kw5}` in the offer URL.
 */
export const OfferKeywordsSchema = z.strictObject({
  setId: IdSchema,
  slots: z.number().int().min(1).max(5).default(1),
});
export type OfferKeywords = z.output<typeof OfferKeywordsSchema>;

export const ListKeywordSetsQuerySchema = z.object({
  q: z.string().max(255).optional(),
  includeArchived: z.enum(['true', 'false']).optional(),
  workspaceId: IdSchema.optional(),
});
