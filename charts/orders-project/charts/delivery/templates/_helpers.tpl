{{/* Chart name. */}}
{{- define "delivery.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-delivery: the name the umbrella chart's Ingress and the frontend's upstreams use. */}}
{{- define "delivery.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "delivery.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: orders-project
{{ include "delivery.selectorLabels" . }}
{{- end -}}

{{- define "delivery.selectorLabels" -}}
app.kubernetes.io/name: {{ include "delivery.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* registry prefix + repository + tag (own tag, else the global one, else appVersion). */}}
{{- define "delivery.image" -}}
{{- $tag := .Values.image.tag | default .Values.global.image.tag | default .Chart.AppVersion -}}
{{- printf "%s%s:%s" (.Values.global.image.registry | default "") .Values.image.repository $tag -}}
{{- end -}}

{{/* The umbrella chart's shared ConfigMap and Secret (see its configmap.yaml and secret.yaml). */}}
{{- define "delivery.appConfigName" -}}
{{- printf "%s-app-config" .Release.Name -}}
{{- end -}}

{{- define "delivery.appSecretName" -}}
{{- printf "%s-app-secrets" .Release.Name -}}
{{- end -}}
