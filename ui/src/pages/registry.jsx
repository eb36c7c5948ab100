// registry.jsx - placeholder until the page is written.
import { t } from '../i18n.js';
import { PageHeader } from '../ui.jsx';

export function Registry() {
  return <PageHeader title={t('nav.registry')} />;
}
