import { t } from '../i18n.js';
import { PageHeader } from '../ui.jsx';
export function AlertCompose() { return <PageHeader title={t('nav.alerts')} />; }
