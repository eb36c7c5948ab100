import { t } from '../i18n.js';
import { PageHeader } from '../ui.jsx';
export function Alerts() { return <PageHeader title={t('nav.alerts')} />; }
export function AlertView() { return <PageHeader title={t('nav.alerts')} />; }
