"""The starter word lists of the pre-publication checks, each entry recorded in the change log.

Sources:
- Institutions: 《国务院机构改革方案》（2018年3月17日第十三届全国人民代表大会第一次会议批准）and
  《深化党和国家机构改革方案》（2018年）; local offices followed in the local reforms completed in
  early 2019, so local names apply from the 2019 reports on (and names vary locally: warn only).
- Terms: 《全面推进依法行政实施纲要》（国发〔2004〕10号）(法治政府); the seventh five-year plan of
  legal publicity (2016—2020, 法治宣传教育); 《党政主要负责人履行推进法治建设第一责任人职责规定》
  (December 2016); the decision of the NPC Standing Committee of 1 November 2014 (国家宪法日);
  《中小学法治副校长聘任与管理办法》（教育部令第52号, in force 1 May 2022）.
- Misspellings: common errors in official writing against 《现代汉语词典》 and 《第一批异形词整理表》
  (账 for accounts).

“原……” (the former …) is an exception of every renamed institution: history may name it.
The data is copied here, not imported, so the migration never changes with the code.
"""

from django.db import migrations
from django.utils import timezone

REFORM_2018 = "2018年国务院机构改革：{detail}"
LOCAL_2019 = "地方机构改革（2019年初完成）：{detail}具体名称以本地机构设置为准。"

# (wrong, suggestion, severity, category, since_year, exceptions, note)
ENTRIES = [
    # --- National institutions renamed or merged in 2018 ------------------------------------
    ("国务院法制办公室", "司法部", "block", "institution", 2018, ["原国务院法制办公室"],
     REFORM_2018.format(detail="国务院法制办公室的职责整合，重新组建司法部，不再保留国务院法制办公室。")),
    ("国务院法制办", "司法部", "block", "institution", 2018, ["原国务院法制办"],
     REFORM_2018.format(detail="不再保留国务院法制办公室，职责由司法部承担。")),
    ("国家工商行政管理总局", "国家市场监督管理总局", "block", "institution", 2018, ["原国家工商行政管理总局"],
     REFORM_2018.format(detail="组建国家市场监督管理总局，不再保留国家工商行政管理总局。")),
    ("国家工商总局", "国家市场监督管理总局", "block", "institution", 2018, ["原国家工商总局"],
     REFORM_2018.format(detail="组建国家市场监督管理总局，不再保留国家工商行政管理总局。")),
    ("国家质量监督检验检疫总局", "国家市场监督管理总局", "block", "institution", 2018,
     ["原国家质量监督检验检疫总局"],
     REFORM_2018.format(detail="不再保留国家质量监督检验检疫总局；出入境检验检疫管理职责划入海关总署。")),
    ("国家质检总局", "国家市场监督管理总局", "block", "institution", 2018, ["原国家质检总局"],
     REFORM_2018.format(detail="不再保留国家质量监督检验检疫总局；出入境检验检疫管理职责划入海关总署。")),
    ("国家食品药品监督管理总局", "国家市场监督管理总局", "block", "institution", 2018,
     ["原国家食品药品监督管理总局"],
     REFORM_2018.format(detail="不再保留国家食品药品监督管理总局；另组建国家药品监督管理局，由国家市场监督管理总局管理。")),
    ("国家食药监总局", "国家市场监督管理总局", "block", "institution", 2018, ["原国家食药监总局"],
     REFORM_2018.format(detail="不再保留国家食品药品监督管理总局；药品监管由国家药品监督管理局负责。")),
    ("国家卫生和计划生育委员会", "国家卫生健康委员会", "block", "institution", 2018, ["原国家卫生和计划生育委员会"],
     REFORM_2018.format(detail="组建国家卫生健康委员会，不再保留国家卫生和计划生育委员会。")),
    ("国家卫生计生委", "国家卫生健康委", "block", "institution", 2018, ["原国家卫生计生委"],
     REFORM_2018.format(detail="组建国家卫生健康委员会，不再保留国家卫生和计划生育委员会。")),
    ("国家安全生产监督管理总局", "应急管理部", "block", "institution", 2018, ["原国家安全生产监督管理总局"],
     REFORM_2018.format(detail="组建应急管理部，不再保留国家安全生产监督管理总局。")),
    ("国家新闻出版广电总局", "国家广播电视总局", "block", "institution", 2018, ["原国家新闻出版广电总局"],
     REFORM_2018.format(detail="组建国家广播电视总局，新闻出版和电影管理职责划入中央宣传部，不再保留国家新闻出版广电总局。")),
    ("国家林业局", "国家林业和草原局", "block", "institution", 2018, ["原国家林业局"],
     REFORM_2018.format(detail="组建国家林业和草原局，不再保留国家林业局。")),
    ("国家粮食局", "国家粮食和物资储备局", "block", "institution", 2018, ["原国家粮食局"],
     REFORM_2018.format(detail="组建国家粮食和物资储备局，不再保留国家粮食局。")),
    ("国土资源部", "自然资源部", "block", "institution", 2018, ["原国土资源部", "国土资源部署"],
     REFORM_2018.format(detail="组建自然资源部，不再保留国土资源部。")),
    ("环境保护部", "生态环境部", "block", "institution", 2018, ["原环境保护部", "环境保护部署", "环境保护部分"],
     REFORM_2018.format(detail="组建生态环境部，不再保留环境保护部。")),
    ("农业部", "农业农村部", "warn", "institution", 2018, ["原农业部", "农业部门", "农业部署", "农业部分"],
     REFORM_2018.format(detail="组建农业农村部，不再保留农业部。")),
    ("文化部", "文化和旅游部", "warn", "institution", 2018, ["原文化部", "文化部门", "文化部署", "文化部分"],
     REFORM_2018.format(detail="组建文化和旅游部，不再保留文化部、国家旅游局。")),
    ("国家旅游局", "文化和旅游部", "warn", "institution", 2018, ["原国家旅游局"],
     REFORM_2018.format(detail="组建文化和旅游部，不再保留文化部、国家旅游局。")),
    ("监察部", "国家监察委员会", "warn", "institution", 2018, ["原监察部", "监察部门"],
     "2018年深化党和国家机构改革：组建国家监察委员会，不再保留监察部、国家预防腐败局。"),
    # --- Local offices renamed or merged in the local reforms ---------------------------------
    ("法制办公室", "司法局", "warn", "institution", 2019, ["原法制办公室"],
     LOCAL_2019.format(detail="政府法制办公室的职责整合到司法局（司法厅），不再保留法制办。")),
    ("法制办", "司法局", "warn", "institution", 2019, ["原法制办"],
     LOCAL_2019.format(detail="政府法制办公室的职责整合到司法局（司法厅），不再保留法制办。")),
    ("工商行政管理局", "市场监督管理局", "warn", "institution", 2019, ["原工商行政管理局"],
     LOCAL_2019.format(detail="工商、质监、食品药品监管部门整合为市场监督管理局。")),
    ("工商局", "市场监督管理局", "warn", "institution", 2019, ["原工商局"],
     LOCAL_2019.format(detail="工商、质监、食品药品监管部门整合为市场监督管理局。")),
    ("质量技术监督局", "市场监督管理局", "warn", "institution", 2019, ["原质量技术监督局"],
     LOCAL_2019.format(detail="工商、质监、食品药品监管部门整合为市场监督管理局。")),
    ("食品药品监督管理局", "市场监督管理局", "warn", "institution", 2019, ["原食品药品监督管理局"],
     LOCAL_2019.format(detail="工商、质监、食品药品监管部门整合为市场监督管理局。")),
    ("国土资源局", "自然资源局", "warn", "institution", 2019, ["原国土资源局"],
     LOCAL_2019.format(detail="组建自然资源局，不再保留国土资源局。")),
    ("环境保护局", "生态环境局", "warn", "institution", 2019, ["原环境保护局"],
     LOCAL_2019.format(detail="组建生态环境局，不再保留环境保护局。")),
    ("环保局", "生态环境局", "warn", "institution", 2019, ["原环保局"],
     LOCAL_2019.format(detail="组建生态环境局，不再保留环境保护局。")),
    ("卫生和计划生育局", "卫生健康局", "warn", "institution", 2019, ["原卫生和计划生育局"],
     LOCAL_2019.format(detail="组建卫生健康局，不再保留卫生和计划生育局。")),
    ("卫计局", "卫生健康局", "warn", "institution", 2019, ["原卫计局"],
     LOCAL_2019.format(detail="组建卫生健康局，不再保留卫生和计划生育局。")),
    ("安全生产监督管理局", "应急管理局", "warn", "institution", 2019, ["原安全生产监督管理局"],
     LOCAL_2019.format(detail="组建应急管理局，不再保留安全生产监督管理局。")),
    ("安监局", "应急管理局", "warn", "institution", 2019, ["原安监局"],
     LOCAL_2019.format(detail="组建应急管理局，不再保留安全生产监督管理局。")),
    ("农业局", "农业农村局", "warn", "institution", 2019, ["原农业局", "农业局部"],
     LOCAL_2019.format(detail="组建农业农村局，不再保留农业局。")),
    # --- Fixed terms whose official form is 法治 ----------------------------------------------
    ("法制政府", "法治政府", "block", "term", None, [],
     "自《全面推进依法行政实施纲要》（国发〔2004〕10号）起，规范表述为“法治政府”。"),
    ("法制宣传教育", "法治宣传教育", "block", "term", 2016, [],
     "自“七五”普法规划（2016—2020年）起，规范表述为“法治宣传教育”。"),
    ("法制宣传", "法治宣传", "warn", "term", 2016, [],
     "自“七五”普法规划（2016—2020年）起，规范表述为“法治宣传”。"),
    ("法制建设第一责任人", "法治建设第一责任人", "block", "term", 2017, [],
     "《党政主要负责人履行推进法治建设第一责任人职责规定》（2016年12月）的规范表述为“法治建设第一责任人”。"),
    ("社会主义法制体系", "社会主义法治体系", "warn", "term", 2015, [],
     "党的十八届四中全会（2014年）提出“建设中国特色社会主义法治体系”。"),
    ("法制宣传日", "国家宪法日", "warn", "term", 2015, ["原全国法制宣传日"],
     "2014年11月1日全国人大常委会决定将12月4日设立为国家宪法日。"),
    ("法制副校长", "法治副校长", "warn", "term", 2022, [],
     "《中小学法治副校长聘任与管理办法》（教育部令第52号，2022年5月1日起施行）。"),
    # --- Common misspellings in official writing -----------------------------------------------
    ("布署", "部署", "warn", "typo", None, [], ""),
    ("按排", "安排", "warn", "typo", None,
     ["按排名", "按排序", "按排列", "按排放", "按排查", "按排污", "按排水", "按排位", "按排班"], ""),
    ("贯切", "贯彻", "warn", "typo", None, ["一贯切实"], ""),
    ("精减机构", "精简机构", "warn", "typo", None, [], ""),
    ("再接再励", "再接再厉", "warn", "typo", None, [], ""),
    ("一如继往", "一如既往", "warn", "typo", None, [], ""),
    ("迫不急待", "迫不及待", "warn", "typo", None, [], ""),
    ("按步就班", "按部就班", "warn", "typo", None, [], ""),
    ("相辅相承", "相辅相成", "warn", "typo", None, [], ""),
    ("融汇贯通", "融会贯通", "warn", "typo", None, [], ""),
    ("提纲携领", "提纲挈领", "warn", "typo", None, [], ""),
    ("不容质疑", "不容置疑", "warn", "typo", None, [], ""),
    ("既往不究", "既往不咎", "warn", "typo", None, [], ""),
    ("一股作气", "一鼓作气", "warn", "typo", None, [], ""),
    ("变本加利", "变本加厉", "warn", "typo", None, [], ""),
    ("直接了当", "直截了当", "warn", "typo", None, [], ""),
    ("走头无路", "走投无路", "warn", "typo", None, [], ""),
    ("歪风斜气", "歪风邪气", "warn", "typo", None, [], ""),
    ("粗制烂造", "粗制滥造", "warn", "typo", None, [], ""),
    ("出奇不意", "出其不意", "warn", "typo", None, [], ""),
    ("默守成规", "墨守成规", "warn", "typo", None, [], ""),
    ("防微杜惭", "防微杜渐", "warn", "typo", None, [], ""),
    ("一愁莫展", "一筹莫展", "warn", "typo", None, [], ""),
    ("记忆尤新", "记忆犹新", "warn", "typo", None, [], ""),
    ("别出新裁", "别出心裁", "warn", "typo", None, [], ""),
    ("言简意骇", "言简意赅", "warn", "typo", None, [], ""),
    ("震憾", "震撼", "warn", "typo", None, [], ""),
    ("松驰", "松弛", "warn", "typo", None, [], ""),
    ("针贬", "针砭", "warn", "typo", None, [], ""),
    ("必竟", "毕竟", "warn", "typo", None, [], ""),
    ("陷井", "陷阱", "warn", "typo", None, [], ""),
    ("截止目前", "截至目前", "warn", "typo", None, [], "“截至”表示到某时为止，其后接时间；“截止”表示停止，其后一般不接时间。"),
    ("截止年底", "截至年底", "warn", "typo", None, [], "“截至”表示到某时为止，其后接时间；“截止”表示停止，其后一般不接时间。"),
    ("台帐", "台账", "warn", "typo", None, [], "《第一批异形词整理表》以“账”表示账目、账簿。"),
    ("帐户", "账户", "warn", "typo", None, [], "《第一批异形词整理表》以“账”表示账目、账簿。"),
    ("帐目", "账目", "warn", "typo", None, [], "《第一批异形词整理表》以“账”表示账目、账簿。"),
]  # fmt: skip


def add_starter_list(apps, schema_editor):
    entry_model = apps.get_model("reports", "WordListEntry")
    change_model = apps.get_model("reports", "WordListChange")
    now = timezone.now()
    for wrong, suggestion, severity, category, since_year, exceptions, note in ENTRIES:
        if entry_model.objects.filter(wrong=wrong).exists():
            continue
        entry = entry_model.objects.create(
            wrong=wrong,
            suggestion=suggestion,
            severity=severity,
            category=category,
            since_year=since_year,
            exceptions="\n".join(exceptions),
            note=note,
            created_at=now,
            updated_at=now,
        )
        record = {
            "wrong": wrong,
            "suggestion": suggestion,
            "severity": severity,
            "category": category,
            "note": note,
            "exceptions": exceptions,
            "since_year": since_year,
        }
        change_model.objects.create(
            entry_id=entry.pk, wrong=wrong, action="add", actor=None, created_at=now, before=None, after=record
        )


def remove_starter_list(apps, schema_editor):
    # Unapplying removes what applying added, its change records included; later edits stay.
    wrongs = [entry[0] for entry in ENTRIES]
    apps.get_model("reports", "WordListChange").objects.filter(wrong__in=wrongs, actor=None, action="add").delete()
    apps.get_model("reports", "WordListEntry").objects.filter(wrong__in=wrongs).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_prepublication_checks")]

    operations = [migrations.RunPython(add_starter_list, remove_starter_list)]
