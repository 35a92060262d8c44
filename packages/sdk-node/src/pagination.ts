/**
 * One page of a list. `data` holds this page's items; iterate the page with `for await` to walk every item of
 * every following page, fetched as the loop reaches them.
 */
export class Page<T> implements AsyncIterable<T> {
  readonly data: T[];
  /** Pass this as `cursor` to fetch the next page; `null` on the last page. */
  readonly nextCursor: string | null;
  readonly #fetchPage: (cursor: string) => Promise<Page<T>>;

  constructor(list: { data: T[]; nextCursor: string | null }, fetchPage: (cursor: string) => Promise<Page<T>>) {
    this.data = list.data;
    this.nextCursor = list.nextCursor;
    this.#fetchPage = fetchPage;
  }

  hasNextPage(): boolean {
    return this.nextCursor !== null;
  }

  /** Fetches the next page with the same filters. Check `hasNextPage()` first. */
  getNextPage(): Promise<Page<T>> {
    if (this.nextCursor === null) return Promise.reject(new RangeError('this is the last page; check hasNextPage() first'));
    return this.#fetchPage(this.nextCursor);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    let page: Page<T> = this;
    for (;;) {
      yield* page.data;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }
}

/**
 * What a `list()` method returns: `await` it for the first page, or iterate it with `for await` for every item
 * across all pages.
 */
export class PagePromise<T> implements Promise<Page<T>>, AsyncIterable<T> {
  readonly [Symbol.toStringTag] = 'PagePromise';
  readonly #page: Promise<Page<T>>;

  constructor(page: Promise<Page<T>>) {
    this.#page = page;
  }

  then<A = Page<T>, B = never>(
    onFulfilled?: ((page: Page<T>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#page.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<Page<T> | B> {
    return this.#page.catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<Page<T>> {
    return this.#page.finally(onFinally);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    yield* await this.#page;
  }
}

/** The paging parameters every `list()` takes besides its filters. */
export interface ListParams {
  /**
   * Items per page, at most 500.
   * @default 50
   */
  limit?: number;
  /** Where to start: a page's `nextCursor`. Not needed with `for await`, which follows the cursors itself. */
  cursor?: string;
}
