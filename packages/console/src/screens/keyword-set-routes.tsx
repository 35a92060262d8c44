import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { parseTrackerListSearch } from './campaign-search.js';

/** The keyword set screens, reached from the offers list (no navigation link of their own): one lazily loaded chunk. */
export function keywordSetRoutes(shell: AnyRoute) {
  const screens = () => import('./keyword-sets.js');
  return [
    createRoute({ getParentRoute: () => shell, path: '/keyword-sets', validateSearch: parseTrackerListSearch, component: lazyRouteComponent(screens, 'KeywordSetsScreen') }),
    createRoute({ getParentRoute: () => shell, path: '/keyword-sets/new', component: lazyRouteComponent(screens, 'NewKeywordSetScreen') }),
    createRoute({ getParentRoute: () => shell, path: '/keyword-sets/$keywordSetId/edit', component: lazyRouteComponent(screens, 'EditKeywordSetScreen') }),
  ];
}
