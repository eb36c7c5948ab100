import { t } from '../i18n.js';
import { PageHeader } from '../ui.jsx';
export function Reports() { return <PageHeader title={t('nav.reports')} />; }
export function ReportView() { return <PageHeader title={t('nav.reports')} />; }
