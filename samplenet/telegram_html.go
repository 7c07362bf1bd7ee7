package samplenet

import "html/template"

// The t.me markup, with the class names and nesting of the real web preview
// (see the formats notes, section 3). Live pages put most elements on one
// line; so do these templates, where it matters for text extraction.

const tgMessageHTML = `{{define "message"}}
<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{{.DataPost}}" data-view="{{.DataView}}">
  <div class="tgme_widget_message_user"><a href="{{.ChannelURL}}"><i class="tgme_widget_message_user_photo bgcolor4" data-content="{{.Initial}}"><img src="{{.Photo}}"></i></a></div>
  <div class="tgme_widget_message_bubble">
    <i class="tgme_widget_message_bubble_tail"><svg class="bubble_icon" width="9px" height="20px" viewBox="0 0 9 20"><g fill="none"><path class="background" fill="#ffffff" d="M8,1 L9,1 L9,20 L8,20 L8,18 C7.807,15.161 7.124,12.233 5.950,9.218 C5.046,6.893 3.504,4.733 1.325,2.738 L1.325,2.738 C0.917,2.365 0.89,1.732 1.263,1.325 C1.452,1.118 1.72,1 2,1 L8,1 Z"></path></g></svg></i>
    <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="{{.ChannelURL}}"><span dir="auto">{{.ChannelTitle}}</span></a></div>
    {{- with .Forward}}
    <div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;<a class="tgme_widget_message_forwarded_from_name" href="{{.URL}}"><span dir="auto">{{.Name}}</span></a></div>
    {{- end}}
    {{- range .Photos}}
    <a class="tgme_widget_message_photo_wrap {{.Class}}" href="{{.Href}}" {{.Style}}><div class="tgme_widget_message_photo" style="padding-top:75%"></div></a>
    {{- end}}
    {{- if .Text}}
    <div class="tgme_widget_message_text js-message_text" dir="auto">{{.Text}}</div>
    {{- end}}
    <div class="tgme_widget_message_footer compact js-message_footer">
      <div class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">{{.Views}}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta">{{if .Edited}}edited &nbsp;{{end}}<a class="tgme_widget_message_date" href="{{.URL}}"><time {{.Datetime}} class="time">{{.Clock}}</time></a></span></div>
    </div>
  </div>
</div></div>
{{- end}}`

const tgHeadHTML = `{{define "head"}}<meta charset="utf-8">
    <title>{{.Title}} – Telegram</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0, maximum-scale=1.0, user-scalable=no">
    <meta property="og:title" content="{{.Title}}">
    <meta property="og:image" content="{{.Photo}}">
    <meta property="og:site_name" content="Telegram">
    <meta property="og:description" content="{{.Bio}}">
    <meta name="twitter:card" content="summary">{{end}}`

var tgPreviewTemplate = template.Must(template.New("preview").Parse(tgMessageHTML + tgHeadHTML + `<!DOCTYPE html>
<html>
  <head>
    {{template "head" .}}
    <link rel="canonical" href="{{.Canonical}}">
    {{- if .Before}}
    <link rel="prev" href="/s/{{.Channel}}?before={{.Before}}">
    {{- end}}
  </head>
  <body class="widget_frame_base tgme_webpreview_body">
    <header class="tgme_header search_collapsed"><div class="tgme_header_left_column"><a class="tgme_header_link" href="{{.ChannelURL}}"><div class="tgme_header_title"><span dir="auto">{{.Title}}</span></div></a></div></header>
    <main class="tgme_main">
      <div class="tgme_container">
        <div class="tgme_channel_info">
          <div class="tgme_channel_info_header"><i class="tgme_page_photo_image"><img src="{{.Photo}}"></i><div class="tgme_channel_info_header_title"><span dir="auto">{{.Title}}</span></div><div class="tgme_channel_info_header_username"><a href="{{.ChannelURL}}">@{{.Channel}}</a></div></div>
          <div class="tgme_channel_info_description">{{.Bio}}</div>
          <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">{{.Subscribers}}</span> <span class="counter_type">subscribers</span></div></div>
        </div>
        <section class="tgme_channel_history js-message_history">
          {{- if .Before}}
          <div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{{.Channel}}?before={{.Before}}" class="tme_messages_more js-messages_more" data-before="{{.Before}}"></a></div>
          {{- end}}
          {{- range .Messages}}{{template "message" .}}{{end}}
        </section>
      </div>
    </main>
  </body>
</html>
`))

var tgContactTemplate = template.Must(template.New("contact").Parse(tgHeadHTML + `<!DOCTYPE html>
<html>
  <head>
    {{template "head" .}}
  </head>
  <body class="tgme_body">
    <div class="tgme_page_wrap">
      <div class="tgme_page">
        {{- if .Photo}}
        <div class="tgme_page_photo"><a href="/s/{{.Channel}}"><img class="tgme_page_photo_image" src="{{.Photo}}"></a></div>
        {{- end}}
        <div class="tgme_page_title"><span dir="auto">{{.Title}}</span></div>
        <div class="tgme_page_extra">@{{.Channel}}</div>
        {{- if .Subscribers}}
        <div class="tgme_page_description">{{.Bio}}</div>
        <div class="tgme_page_context_link_wrap"><a class="tgme_page_context_link" href="/s/{{.Channel}}">Preview channel</a></div>
        {{- else}}
        <div class="tgme_page_description">If you have <strong>Telegram</strong>, you can contact <a class="tgme_username_link" href="tg://resolve?domain={{.Channel}}">@{{.Channel}}</a> right away.</div>
        {{- end}}
      </div>
    </div>
  </body>
</html>
`))

var tgSingleTemplate = template.Must(template.New("single").Parse(tgMessageHTML + tgHeadHTML + `<!DOCTYPE html>
<html>
  <head>
    {{template "head" .}}
  </head>
  <body class="body_widget_post emoji_image nodark">
    {{- range .Messages}}{{template "message" .}}{{else}}
    <div class="tgme_widget_message_error">Post not found</div>
    {{- end}}
  </body>
</html>
`))
