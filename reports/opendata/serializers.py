"""The open data's shape as Django REST framework serializers: output only, and the source of the OpenAPI schema.

They read the dicts of ``reports.opendata.documents``; nothing here touches a model.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.models import OrganizationKind, PlanStatus, SectionKind


class ParentSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text=_("上级单位的网址标识"))
    name = serializers.CharField(help_text=_("上级单位名称"))


class OrganizationSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text=_("单位的网址标识，如 pandong；用作筛选条件"))
    name = serializers.CharField(help_text=_("单位名称（当前）"))
    short_name = serializers.CharField(help_text=_("简称，可为空"))
    kind = serializers.ChoiceField(choices=OrganizationKind.choices, help_text=_("单位类型"))
    kind_label = serializers.CharField(help_text=_("单位类型的中文名称"))
    parent = ParentSerializer(allow_null=True, help_text=_("上级单位；没有则为 null"))


class RevisionRefSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("公开版本的版本号（该报告的第几版）"))
    hash = serializers.CharField(help_text=_("公开版本的 SHA-256 哈希值，可与 export_history 导出的历史记录核对"))


class ReportSummarySerializer(serializers.Serializer):
    index_number = serializers.CharField(help_text=_("索引号"))
    year = serializers.IntegerField(help_text=_("报告年度"))
    title = serializers.CharField(help_text=_("标题（公开版本）"))
    organization = OrganizationSerializer()
    published_at = serializers.DateTimeField(help_text=_("在本网首次发布的时间（北京时间）"))
    public_since = serializers.DateTimeField(help_text=_("当前公开版本生效的时间；晚于首次发布时间即为更新后的版本"))
    revision = RevisionRefSerializer()
    url = serializers.URLField(help_text=_("报告正文网页"))
    api_url = serializers.URLField(help_text=_("本接口中该报告的详情地址"))


class SubItemSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text=_("条目的稳定标识（早期版本没有，为 null）"))
    number = serializers.CharField(help_text=_("网页上显示的编号，如 1."))
    heading = serializers.CharField(allow_blank=True)
    body_html = serializers.CharField(allow_blank=True, help_text=_("正文（经过安全过滤的 HTML）"))
    body_text = serializers.CharField(allow_blank=True, help_text=_("正文纯文本"))
    children = serializers.ListField(child=serializers.DictField(), max_length=0, help_text=_("总是空：最多两级"))


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text=_("条目的稳定标识（早期版本没有，为 null）"))
    number = serializers.CharField(help_text=_("网页上显示的编号，如（一）"))
    heading = serializers.CharField(allow_blank=True, help_text=_("小标题"))
    body_html = serializers.CharField(allow_blank=True, help_text=_("正文（经过安全过滤的 HTML）"))
    body_text = serializers.CharField(allow_blank=True, help_text=_("正文纯文本"))
    children = SubItemSerializer(many=True, help_text=_("下级条目（1. 2. …）"))


class SectionSerializer(serializers.Serializer):
    number = serializers.CharField(help_text=_("网页上显示的编号，如 一、"))
    kind = serializers.ChoiceField(choices=SectionKind.choices, help_text=_("法定部分"))
    kind_label = serializers.CharField(help_text=_("法定部分的中文名称"))
    heading = serializers.CharField(help_text=_("标题"))
    intro_html = serializers.CharField(allow_blank=True, help_text=_("引言（HTML）"))
    intro_text = serializers.CharField(allow_blank=True, help_text=_("引言纯文本"))
    items = ItemSerializer(many=True)


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("附件名称"))
    size = serializers.IntegerField(help_text=_("大小（字节）"))
    content_type = serializers.CharField(allow_blank=True, help_text=_("文件类型"))
    sha256 = serializers.CharField(allow_blank=True, help_text=_("文件的 SHA-256 校验值"))
    url = serializers.URLField(help_text=_("下载地址"))


class MeasureRefSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("本报告“主要举措和成效”中条目的稳定标识"))
    number = serializers.CharField(help_text=_("该条目在网页上的编号，如（二）或（二）1."))


class PreviousReportSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("上一年度"))
    revision_hash = serializers.CharField(help_text=_("所对照的上年报告公开版本的哈希值"))
    url = serializers.URLField()
    api_url = serializers.URLField()


class PlanReviewItemSerializer(serializers.Serializer):
    plan_key = serializers.CharField(help_text=_("上年报告中该项工作安排的标识"))
    number = serializers.CharField(help_text=_("该项安排在上年报告中的编号"))
    plan_text = serializers.CharField(help_text=_("上年工作安排（摘自上年报告）"))
    status = serializers.ChoiceField(
        choices=[("", _("未说明")), *PlanStatus.choices], allow_blank=True, help_text=_("落实情况；空为未说明")
    )
    status_label = serializers.CharField()
    note = serializers.CharField(allow_blank=True, help_text=_("说明"))
    measures = MeasureRefSerializer(many=True, help_text=_("落实该项安排的本年举措"))


class PlanReviewSerializer(serializers.Serializer):
    previous = PreviousReportSerializer()
    items = PlanReviewItemSerializer(many=True)


class LicenceSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class ProvenanceSerializer(serializers.Serializer):
    source = serializers.CharField(help_text=_("数据来源网站"))
    source_url = serializers.URLField(help_text=_("来源网页"))
    generated_at = serializers.DateTimeField(help_text=_("本副本由公开版本生成的时间；下次发布前内容不变"))
    licence = LicenceSerializer()
    revision_hash = serializers.CharField(required=False, help_text=_("公开版本的哈希值"))


class ReportDetailSerializer(ReportSummarySerializer):
    original_published_at = serializers.DateTimeField(
        allow_null=True, help_text=_("从旧网站迁移的报告在原网站上的发布时间（仅导入时明确声明的）")
    )
    source = serializers.CharField(help_text=_("来源"))
    signing_date = serializers.DateField(allow_null=True, help_text=_("成文日期"))
    signatories = serializers.ListField(child=serializers.CharField(), help_text=_("落款单位"))
    disclosure_mode = serializers.CharField(help_text=_("公开方式"))
    topic_category = serializers.CharField(help_text=_("主题分类"))
    tags = serializers.ListField(child=serializers.CharField(), help_text=_("标签"))
    preamble_html = serializers.CharField(allow_blank=True, help_text=_("导语（HTML）"))
    preamble_text = serializers.CharField(allow_blank=True, help_text=_("导语纯文本"))
    sections = SectionSerializer(many=True, help_text=_("各部分，按法定部分标明"))
    attachments = AttachmentSerializer(many=True)
    plan_review = PlanReviewSerializer(allow_null=True, help_text=_("上年工作安排落实情况；没有则为 null"))
    provenance = ProvenanceSerializer()


class ArchiveYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    published = serializers.BooleanField(help_text=_("该年度报告是否已在本网发布"))
    report = ReportSummarySerializer(allow_null=True)


class OrganizationArchiveSerializer(OrganizationSerializer):
    years = ArchiveYearSerializer(many=True, help_text=_("已发布或应报告的年度，新的在前"))


class ReportFilterSerializer(serializers.Serializer):
    """The list's query parameters; anything else is a 400 with the reason."""

    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text=_("报告年度"))
    organization = serializers.SlugField(required=False, help_text=_("单位的网址标识"))
    region = serializers.SlugField(required=False, help_text=_("上级单位的网址标识：该单位及其下属单位的报告"))
    kind = serializers.ChoiceField(required=False, choices=OrganizationKind.choices, help_text=_("单位类型"))
