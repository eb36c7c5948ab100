// router.js - pages live in the URL's fragment (#/reports/ID?status=first),
// so the server serves one page and a reload or a bookmark returns to the
// same place.
import { useEffect, useState } from 'preact/hooks';

export function parse(hash) {
  const h = (hash || '').replace(/^#/, '') || '/';
  const [path, query = ''] = h.split('?');
  return {
    path: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(query),
  };
}

export function useRoute() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return parse(hash);
}

// Go to a page: go('/reports/abc', {status: 'first'}).
export function go(path, query) {
  const q = query ? new URLSearchParams(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ).toString() : '';
  location.hash = '#' + path + (q ? '?' + q : '');
}

export function href(path) {
  return '#' + path;
}
