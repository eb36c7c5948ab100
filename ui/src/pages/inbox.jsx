import { t } from '../i18n.js';
import { PageHeader } from '../ui.jsx';
export function Inbox() { return <PageHeader title={t('nav.inbox')} />; }
export function DeliveryView() { return <PageHeader title={t('nav.inbox')} />; }
