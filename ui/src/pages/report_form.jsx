import { t } from '../i18n.js';
import { PageHeader } from '../ui.jsx';
export function ReportForm() { return <PageHeader title={t('nav.reports')} />; }
