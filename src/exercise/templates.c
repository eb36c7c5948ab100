/* templates.c - built-in scenarios for the themes of NISC's cross-sector
 * exercises: the 2006 disaster tabletop, the 2009 wide-area blackout, the
 * 2010 large-scale communications failure, the 2011-2012 compound failures
 * with opportunistic incidents, the 2013 information-security incident.
 * Illustrative scenarios: a controller adapts them (or generates one from
 * the analysis engine) before an exercise. Sectors in "to" are the
 * registry's sector ids. */
#include "exercise/internal.h"

#include <pthread.h>
#include <string.h>

static const char templates_json[] =
	"["
	"{\"id\":\"disaster-2006\",\"year\":2006,\"format\":\"tabletop\","
	"\"title_ja\":\"大規模地震を想定した机上演習\","
	"\"title_en\":\"Tabletop exercise: a large earthquake\","
	"\"theme\":\"災害 / natural disaster\","
	"\"description\":\"首都直下地震の発生後、電力・通信・金融・鉄道の各分野が情報共有体制を通じて被害状況と復旧見込みを共有する机上演習。\","
	"\"objectives\":[\"発災直後の情報連絡の手順を確認する\",\"CEPTOAR経由の情報提供の到達を確認する\"],"
	"\"cause\":\"首都直下地震 (M7.3) による停電・設備損壊\",\"cause_category\":\"disaster-illness\","
	"\"cause_hidden\":false,"
	"\"injects\":["
	"{\"at\":\"T+0m\",\"to\":[\"all\"],\"type\":\"situation\",\"from\":\"内閣官房\",\"title\":\"首都直下地震発生 (震度6強)\","
	"\"description\":\"午前10時、東京湾北部を震源とする地震が発生。各事業者は被害状況を確認し、所管省庁へ情報連絡してください。\","
	"\"expected\":[\"ack\",\"report\"],\"respond_within\":\"2h\",\"objective\":\"発災直後の情報連絡\"},"
	"{\"at\":\"T+1h\",\"to\":[\"sector:electricity\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"変電所の被災により都内で停電\","
	"\"description\":\"都内複数の変電所が被災し約200万軒が停電。復旧見込みは未定。\","
	"\"expected\":[\"report\",\"share\"],\"respond_within\":\"3h\",\"objective\":\"分野横断的な情報共有\"},"
	"{\"at\":\"T+3h\",\"to\":[\"all\"],\"type\":\"alert\",\"from\":\"内閣官房\",\"title\":\"非常用電源の燃料確保について\","
	"\"description\":\"停電の長期化に備え、非常用発電機の燃料残量と補給手段を確認してください。\","
	"\"expected\":[\"ack\"],\"respond_within\":\"1h\",\"objective\":\"事業継続計画の検証\"}]},"

	"{\"id\":\"blackout-2009\",\"year\":2009,\"format\":\"functional\","
	"\"title_ja\":\"広域停電を想定した分野横断的演習\","
	"\"title_en\":\"Cross-sector exercise: a wide-area blackout\","
	"\"theme\":\"広域停電 / wide-area blackout\","
	"\"description\":\"関東地方の広域停電が通信・金融・鉄道・水道に波及する過程で、各分野の情報共有と早期復旧手順を検証する機能演習。\","
	"\"objectives\":[\"停電の波及を早期に把握し共有する\",\"原因の特定と分野を越えた共有\",\"受領確認の所要時間を測る\"],"
	"\"cause\":\"基幹送電線の保護装置の誤動作による連鎖的な系統分離\",\"cause_category\":\"unintentional\","
	"\"cause_hidden\":true,"
	"\"injects\":["
	"{\"at\":\"T+0m\",\"to\":[\"sector:electricity\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"関東地方で広域停電が発生\","
	"\"description\":\"関東地方の約400万軒で停電が発生。原因は調査中。\","
	"\"expected\":[\"ack\",\"report\"],\"respond_within\":\"1h\",\"objective\":\"停電の早期把握\"},"
	"{\"at\":\"T+1h\",\"to\":[\"sector:info-comm\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"基地局の一部が予備電源で運用中\","
	"\"description\":\"停電地域の携帯電話基地局が蓄電池で運用中。数時間で枯渇する見込み。\","
	"\"expected\":[\"ack\",\"report\"],\"respond_within\":\"2h\",\"objective\":\"波及の把握\"},"
	"{\"at\":\"T+2h\",\"to\":[\"sector:finance\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"ATM・店舗の一部が停止\","
	"\"description\":\"停電地域の店舗とATMが停止。勘定系は非常用電源で稼働中。\","
	"\"expected\":[\"ack\",\"report\",\"share\"],\"respond_within\":\"2h\",\"objective\":\"分野横断的な情報共有\"},"
	"{\"at\":\"T+3h\",\"to\":[\"sector:info-comm\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"地域の携帯基地局が蓄電池の枯渇により停波\","
	"\"description\":\"停電地域の携帯基地局の約3割が蓄電池の枯渇により停波。\","
	"\"expected\":[\"report\",\"share\"],\"respond_within\":\"2h\",\"objective\":\"波及の把握\"},"
	"{\"at\":\"T+4h\",\"to\":[\"all\"],\"type\":\"question\",\"from\":\"内閣官房\",\"title\":\"原因の特定状況の照会\","
	"\"description\":\"障害の原因について把握している情報を情報連絡で報告してください。\","
	"\"expected\":[\"cause\"],\"respond_within\":\"3h\",\"objective\":\"原因の特定\"}]},"

	"{\"id\":\"telecom-2010\",\"year\":2010,\"format\":\"functional\","
	"\"title_ja\":\"大規模通信障害を想定した分野横断的演習\","
	"\"title_en\":\"Cross-sector exercise: a large-scale communications failure\","
	"\"theme\":\"大規模通信障害 / large-scale communications failure\","
	"\"description\":\"基幹通信網の大規模障害により、他分野の業務と情報共有手段そのものが影響を受ける状況での連絡手段と事業継続を検証する。\","
	"\"objectives\":[\"代替連絡手段による情報共有\",\"通信障害の他分野への影響の把握\"],"
	"\"cause\":\"基幹ルータのソフトウェア更新の不具合\",\"cause_category\":\"unintentional\","
	"\"cause_hidden\":true,"
	"\"injects\":["
	"{\"at\":\"T+0m\",\"to\":[\"sector:info-comm\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"基幹通信網で大規模な通信障害\","
	"\"description\":\"全国の固定・移動通信で接続障害が多発。\","
	"\"expected\":[\"ack\",\"report\"],\"respond_within\":\"1h\",\"objective\":\"障害の早期把握\"},"
	"{\"at\":\"T+30m\",\"to\":[\"all\"],\"type\":\"alert\",\"method\":\"phone\",\"from\":\"内閣官房\",\"title\":\"代替手段による連絡体制への切替え\","
	"\"description\":\"電子メールが不達の場合に備え、電話・FAXによる連絡体制に切り替えてください。\","
	"\"expected\":[\"ack\"],\"respond_within\":\"1h\",\"objective\":\"代替連絡手段\"},"
	"{\"at\":\"T+2h\",\"to\":[\"sector:finance\",\"sector:railway\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"オンライン取引・座席予約の一部が利用不可\","
	"\"description\":\"通信障害の影響でオンラインサービスの一部が利用不可。\","
	"\"expected\":[\"report\",\"share\"],\"respond_within\":\"3h\",\"objective\":\"影響の把握\"}]},"

	"{\"id\":\"compound-2011\",\"year\":2011,\"format\":\"functional\","
	"\"title_ja\":\"複合障害と便乗攻撃を想定した分野横断的演習\","
	"\"title_en\":\"Cross-sector exercise: compound failures with opportunistic attacks\","
	"\"theme\":\"複合障害・便乗攻撃 / compound failures, opportunistic incidents\","
	"\"description\":\"自然災害による障害の最中に、混乱に便乗した標的型メールやDDoS攻撃が発生する状況で、原因の切り分けと共有を検証する。\","
	"\"objectives\":[\"複合的な事象の原因の切り分け\",\"便乗攻撃の兆候の共有\"],"
	"\"cause\":\"災害に便乗した攻撃者による標的型メールとDDoS攻撃\",\"cause_category\":\"intentional\","
	"\"cause_hidden\":true,"
	"\"injects\":["
	"{\"at\":\"T+0m\",\"to\":[\"all\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"大型台風による停電と設備被害\","
	"\"description\":\"台風の上陸により各地で停電と設備被害が発生。\","
	"\"expected\":[\"ack\",\"report\"],\"respond_within\":\"2h\",\"objective\":\"災害時の情報連絡\",\"sub_scenario\":\"災害\"},"
	"{\"at\":\"T+2h\",\"to\":[\"all\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"災害情報を装った不審メールの受信\","
	"\"description\":\"「停電情報のお知らせ」を装った添付ファイル付きメールを複数の職員が受信。\","
	"\"expected\":[\"report\",\"share\"],\"respond_within\":\"2h\",\"objective\":\"便乗攻撃の共有\",\"sub_scenario\":\"便乗攻撃\"},"
	"{\"at\":\"T+4h\",\"to\":[\"sector:finance\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"インターネットバンキングへのDDoS攻撃\","
	"\"description\":\"インターネットバンキングへの応答が著しく遅延。大量の通信を観測。\","
	"\"expected\":[\"report\",\"share\",\"cause\"],\"respond_within\":\"3h\",\"objective\":\"原因の切り分け\",\"sub_scenario\":\"便乗攻撃\"}]},"

	"{\"id\":\"incident-2013\",\"year\":2013,\"format\":\"functional\","
	"\"title_ja\":\"情報セキュリティ事案を想定した分野横断的演習\","
	"\"title_en\":\"Cross-sector exercise: an information-security incident\","
	"\"theme\":\"情報セキュリティ事案 / information-security incident\","
	"\"description\":\"複数分野の事業者で同一の攻撃者による侵害の兆候が見つかる状況で、共通脅威の早期発見と分野横断的な共有を検証する。\","
	"\"objectives\":[\"侵害の兆候の早期の情報連絡\",\"共通の指標による分野横断的な分析\"],"
	"\"cause\":\"脆弱性を悪用した標的型攻撃 (同一の攻撃基盤)\",\"cause_category\":\"intentional\","
	"\"cause_hidden\":true,"
	"\"injects\":["
	"{\"at\":\"T+0m\",\"to\":[\"all\"],\"type\":\"alert\",\"from\":\"内閣官房\",\"title\":\"不審な通信先に関する注意喚起\","
	"\"description\":\"特定のドメインへの不審な通信が複数の組織で観測されています。自組織の通信記録を確認してください。\","
	"\"expected\":[\"ack\"],\"respond_within\":\"1h\",\"objective\":\"注意喚起の到達\"},"
	"{\"at\":\"T+2h\",\"to\":[\"all\"],\"type\":\"situation\",\"from\":\"統制\",\"title\":\"社内端末からの不審な通信を検知\","
	"\"description\":\"業務端末から注意喚起のドメインへの定期的な通信を検知。\","
	"\"expected\":[\"report\",\"share\"],\"respond_within\":\"3h\",\"objective\":\"侵害の兆候の共有\"},"
	"{\"at\":\"T+6h\",\"to\":[\"all\"],\"type\":\"question\",\"from\":\"内閣官房\",\"title\":\"原因と影響範囲の報告依頼\","
	"\"description\":\"原因と影響範囲を情報連絡で報告してください。\","
	"\"expected\":[\"cause\"],\"respond_within\":\"6h\",\"objective\":\"原因の特定\"}]}"
	"]";

static json_t *templates;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	templates = json_loads(templates_json, 0, NULL);
}

const json_t *ex_template(const char *id)
{
	size_t i;
	json_t *t;

	pthread_once(&once, load);
	json_array_foreach(templates, i, t)
		if (!strcmp(json_string_value(json_object_get(t, "id")), id))
			return t;
	return NULL;
}

int exercise_templates(json_t **ret)
{
	pthread_once(&once, load);
	if (!templates)
		return CEP_ENOMEM;
	*ret = json_pack("{s:O, s:I}", "items", templates, "total",
			 (json_int_t)json_array_size(templates));
	return *ret ? 0 : CEP_ENOMEM;
}
